package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * object_counting: "I have a flute, two lamps, … How many musical instruments do I have?". The default
 * level (3) is the BBH setting: 2–10 kinds of the asked category, sometimes (never for "objects") 1–3
 * kinds of one other category as distractors, quantities one to five. Level 0 names one kind of the asked
 * category (the answer is a copy of its quantity); level 1 has 2–4 kinds, level 2 up to 10, both without
 * distractors. Latent state: the running count after each item.
 */
public final class ObjectCountingGenerator implements FaithfulGenerator {
    /** A countable thing as BBH writes it. */
    record Kind(String singular, String plural) {}

    /** One entry of the list: a kind, how many, and whether the question counts it. */
    private record Listed(Kind kind, int quantity, boolean counted) {}

    private static final List<String> CATEGORY_ORDER = List.of("animals", "fruits", "musical instruments",
            "vegetables", "objects");

    /** The five categories in BBH's words, each with its kinds. */
    static final Map<String, List<Kind>> CATEGORIES = categories();

    /** Quantity shares of the real data: 1 for 79% of items, then falling to 5. */
    private static final double[] QUANTITY_CUMULATIVE = {0.786, 0.892, 0.955, 0.990, 1.0};
    /** Share of real examples of a non-"objects" question with distractors (46 of 194). */
    private static final double DISTRACTOR_SHARE = 0.237;
    private static final Pattern SENTENCE = Pattern.compile("I have (.+)\\. How many (.+) do I have\\?");
    private static final Pattern ITEM = Pattern.compile("(a|an|two|three|four|five|six|seven|eight|nine|ten) (.+)");

    private static Map<String, List<Kind>> categories() {
        var m = new LinkedHashMap<String, List<Kind>>();
        m.put("animals", kinds("bear", "cat", "chicken", "cow", "dog", "donkey", "duck", "fish/fish", "frog", "goat",
                "mouse/mice", "pig", "rabbit", "snail", "snake"));
        m.put("fruits", kinds("apple", "banana", "blackberry/blackberries", "grape", "nectarine", "orange",
                "peach/peaches", "plum", "raspberry/raspberries", "strawberry/strawberries"));
        m.put("musical instruments", kinds("accordion", "clarinet", "drum", "flute", "piano", "trombone", "trumpet",
                "violin"));
        m.put("vegetables", kinds("cabbage", "carrot", "cauliflower", "garlic", "head of broccoli/heads of broccoli",
                "lettuce head", "onion", "potato/potatoes", "stalk of celery/stalks of celery", "yam"));
        m.put("objects", kinds("bed", "car", "chair", "couch/couches", "fridge", "lamp", "microwave", "oven", "stove",
                "table", "toaster"));
        return Map.copyOf(m);
    }

    private static List<Kind> kinds(String... specs) {
        var out = new ArrayList<Kind>();
        for (String s : specs) {
            int slash = s.indexOf('/');
            out.add(slash < 0 ? new Kind(s, s + "s") : new Kind(s.substring(0, slash), s.substring(slash + 1)));
        }
        return List.copyOf(out);
    }

    @Override
    public String family() {
        return "object_counting";
    }

    @Override
    public int levels() {
        return 4;
    }

    @Override
    public int defaultLevel() {
        return 3;
    }

    @Override
    public Example generate(int level, Random random) {
        if (level < 0 || level >= levels()) {
            throw new IllegalArgumentException("level " + level + " not in [0, " + levels() + ")");
        }
        String category = CATEGORY_ORDER.get(random.nextInt(CATEGORY_ORDER.size()));
        List<Kind> pool = CATEGORIES.get(category);
        int max = Math.min(pool.size(), switch (level) {
            case 0 -> 1;
            case 1 -> 4;
            default -> 10;
        });
        int min = level == 0 ? 1 : 2;
        int k = min + random.nextInt(max - min + 1);
        var items = new ArrayList<Listed>();
        for (Kind kind : Texts.pick(pool, k, random)) {
            items.add(new Listed(kind, quantity(random), true));
        }
        if (level == 3 && !category.equals("objects") && random.nextDouble() < DISTRACTOR_SHARE) {
            var others = new ArrayList<>(CATEGORY_ORDER);
            others.remove(category);
            List<Kind> otherPool = CATEGORIES.get(others.get(random.nextInt(others.size())));
            for (Kind kind : Texts.pick(otherPool, 1 + random.nextInt(3), random)) {
                items.add(new Listed(kind, quantity(random), false));
            }
        }
        var order = Texts.permutation(items.size(), random);
        var text = new SpanText().append("I have ");
        int total = 0;
        for (int i = 0; i < order.length; i++) {
            Listed item = items.get(order[i]);
            Kind kind = item.kind();
            int q = item.quantity();
            boolean relevant = item.counted();
            if (relevant) {
                total += q;
            }
            if (i > 0) {
                text.append(i == order.length - 1 ? ", and " : ", ");
            }
            String phrase = q == 1 ? Texts.article(kind.singular()) + " " + kind.singular()
                    : Texts.NUMBER_WORDS.get(q) + " " + kind.plural();
            text.appendWithState(phrase, Map.of("item", kind.singular(), "quantity", Integer.toString(q),
                    "counted", relevant ? "yes" : "no", "running count", Integer.toString(total)));
        }
        text.append(". How many " + category + " do I have?");
        return Generated.example(family(), level, category, text, Integer.toString(total), List.of());
    }

    private static int quantity(Random random) {
        double u = random.nextDouble();
        int q = 0;
        while (u >= QUANTITY_CUMULATIVE[q]) {
            q++;
        }
        return q + 1;
    }

    @Override
    public Optional<String> solve(String input) {
        Matcher m = SENTENCE.matcher(input);
        if (!m.matches() || !CATEGORIES.containsKey(m.group(2))) {
            return Optional.empty();
        }
        int total = 0;
        for (String item : m.group(1).split(", (?:and )?")) {
            Optional<Map.Entry<String, Integer>> parsed = item(item);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            if (parsed.get().getKey().equals(m.group(2))) {
                total += parsed.get().getValue();
            }
        }
        return Optional.of(Integer.toString(total));
    }

    /** The category and quantity of one listed item, if it is written as BBH writes it. */
    private static Optional<Map.Entry<String, Integer>> item(String item) {
        Matcher m = ITEM.matcher(item);
        if (!m.matches()) {
            return Optional.empty();
        }
        String word = m.group(1);
        int q = word.startsWith("a") ? 1 : Texts.NUMBER_WORDS.indexOf(word);
        for (var c : CATEGORIES.entrySet()) {
            for (Kind k : c.getValue()) {
                boolean ok = q == 1 ? m.group(2).equals(k.singular()) && word.equals(Texts.article(k.singular()))
                        : m.group(2).equals(k.plural());
                if (ok) {
                    return Optional.of(Map.entry(c.getKey(), q));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean parsesLine(String line) {
        return solve(line).isPresent();
    }
}
