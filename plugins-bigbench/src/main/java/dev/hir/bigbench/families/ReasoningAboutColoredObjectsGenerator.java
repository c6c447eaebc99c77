package dev.hir.bigbench.families;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.LatentState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates reasoning_about_colored_objects questions: a surface with a list of coloured objects (plain, in a row,
 * or counted), one of the eight real question kinds, and the real option lists (18 colours, "zero"–"six",
 * "zero"–"sixteen", or yes/no).
 *
 * <p>Levels: 0 asks for a colour written next to a named object or at one end of a row (a copy); 1 adds
 * one-lookup questions (yes/no, the neighbour, the far end); 2 is the BBH mixture, which adds counting ("neither",
 * "how many non-X … to the left", removals). Latent states: each listed object with its colour and count, and
 * the answer on the question.
 */
public final class ReasoningAboutColoredObjectsGenerator implements ExampleGenerator {

    /** The family name. */
    public static final String FAMILY = "reasoning_about_colored_objects";

    static final List<String> COLORS = List.of("red", "orange", "yellow", "green", "blue", "brown", "magenta",
            "fuchsia", "mauve", "teal", "turquoise", "burgundy", "silver", "gold", "black", "grey", "purple", "pink");
    static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen");
    static final List<String> YES_NO = List.of("yes", "no");
    /** Singular and plural of every object the real data lists. */
    static final Map<String, String> PLURALS = plurals();
    static final List<String> SURFACES = List.of("floor", "desk", "table", "nightstand");
    static final List<String> ROW_INTROS = List.of("a set of", "several", "a bunch of", "the following");
    static final List<String> KINDS_OF_THING = List.of("things", "items", "objects");

    /** The eight real question kinds and how many of the 250 real examples ask each. */
    enum Kind {
        COLOR_OF(28), MOST(21), YES_NO(27), ADJACENT(40), FURTHEST(29), NEITHER(17), ROW_COUNT(31), REMOVE(57);

        final int realCount;

        Kind(int realCount) {
            this.realCount = realCount;
        }
    }

    private static final int LEVELS = 3;

    private final int maxCount;

    /** The BBH setting: counted objects come in ones, twos and threes. */
    public ReasoningAboutColoredObjectsGenerator() {
        this(3);
    }

    /**
     * @param maxCount the largest count of one kind of object in removal questions (the real data uses 1–3);
     *     answers stay within "zero"–"sixteen"
     * @throws IllegalArgumentException unless 1 &lt;= maxCount &lt;= 4
     */
    public ReasoningAboutColoredObjectsGenerator(int maxCount) {
        if (maxCount < 1 || maxCount > 4) {
            throw new IllegalArgumentException("maxCount must be in 1..4: " + maxCount);
        }
        this.maxCount = maxCount;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int levels() {
        return LEVELS;
    }

    @Override
    public int defaultLevel() {
        return LEVELS - 1;
    }

    private static Map<String, String> plurals() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : List.of("booklet", "bracelet", "cat toy", "crayon", "cup", "envelope", "fidget spinner", "jug",
                "keychain", "mug", "necklace", "notebook", "paperclip", "pen", "pencil", "plate", "puzzle",
                "scrunchiephone charger", "stress ball", "teddy bear", "textbook")) {
            m.put(s, s + "s");
        }
        m.put("dog leash", "dog leashes");
        m.put("pair of sunglasses", "pairs of sunglasses");
        m.put("sheet of paper", "sheets of paper");
        return Collections.unmodifiableMap(m);
    }

    /** One listed entry: {@code count} objects of one colour and kind. */
    record Item(String color, String noun, int count) {
        String text(boolean counted) {
            if (counted) {
                return NUMBERS.get(count) + " " + color + " " + (count == 1 ? noun : PLURALS.get(noun));
            }
            return (color.matches("[aeiou].*") ? "an " : "a ") + color + " " + noun;
        }
    }

    /** A parsed or generated scene. */
    record Scene(List<Item> items, boolean row, String surface) {}

    // ---- generation -------------------------------------------------------------------------------------------

    @Override
    public Example generate(int level, Random random) {
        MultipleChoice.checkLevel(level, LEVELS);
        List<Kind> kinds = switch (level) {
            case 0 -> List.of(Kind.COLOR_OF, Kind.MOST);
            case 1 -> List.of(Kind.COLOR_OF, Kind.MOST, Kind.YES_NO, Kind.ADJACENT, Kind.FURTHEST);
            default -> List.of(Kind.values());
        };
        // The kind is drawn once: redrawing it after a rejected scene would under-sample the kinds rejected most.
        Kind kind = pickWeighted(kinds, random);
        while (true) {
            Optional<Example> e = attempt(level, kind, random);
            if (e.isPresent()) {
                return e.get();
            }
        }
    }

    private static Kind pickWeighted(List<Kind> kinds, Random r) {
        int total = kinds.stream().mapToInt(k -> k.realCount).sum();
        int pick = r.nextInt(total);
        for (Kind k : kinds) {
            pick -= k.realCount;
            if (pick < 0) {
                return k;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    private static <T> List<T> sample(List<T> pool, int n, Random r) {
        List<T> copy = new ArrayList<>(pool);
        Collections.shuffle(copy, r);
        return new ArrayList<>(copy.subList(0, n));
    }

    private Optional<Example> attempt(int level, Kind kind, Random r) {
        String surface = pick(SURFACES, r);
        List<String> nouns = List.copyOf(PLURALS.keySet());
        boolean row = switch (kind) {
            case MOST, ADJACENT, FURTHEST, ROW_COUNT -> true;
            default -> false;
        };
        List<Item> items = new ArrayList<>();
        if (kind == Kind.REMOVE) {
            List<String> colors = sample(COLORS, 2 + r.nextInt(2), r);
            List<String> kindsOf = sample(nouns, 2 + r.nextInt(2), r);
            List<Item> all = new ArrayList<>();
            for (String c : colors) {
                for (String n : kindsOf) {
                    all.add(new Item(c, n, 1 + r.nextInt(maxCount)));
                }
            }
            // Real removal lists are long (2–9 entries, mostly 6 or more): the larger of two draws.
            items = sample(all, 2 + Math.max(r.nextInt(all.size() - 1), r.nextInt(all.size() - 1)), r);
        } else {
            int n = row ? 3 + r.nextInt(4) : 2 + r.nextInt(5);
            List<String> colors = sample(COLORS, n, r);
            List<String> kindsOf = sample(nouns, n, r);
            for (int i = 0; i < n; i++) {
                items.add(new Item(colors.get(i), kindsOf.get(i), 1));
            }
        }
        Scene scene = new Scene(items, row, surface);
        String thing = pick(KINDS_OF_THING, r);
        String one = thing.substring(0, thing.length() - 1);

        StringBuilder sb = new StringBuilder("On the ").append(surface).append(", ");
        boolean counted = kind == Kind.REMOVE;
        if (row) {
            sb.append("you see ").append(pick(ROW_INTROS, r)).append(' ').append(thing).append(" arranged in a row: ");
        } else {
            String verb = pick(List.of("you see", "I see", "there is"), r);
            if (verb.equals("there is") && counted && items.get(0).count() > 1) {
                verb = "there are";
            }
            sb.append(verb).append(' ');
        }
        List<LatentState> states = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(items.size() == 2 ? " and " : i == items.size() - 1 ? ", and " : ", ");
            }
            int start = sb.length();
            Item it = items.get(i);
            sb.append(it.text(counted));
            states.add(new LatentState(start, sb.length(), Map.of(
                    "position", Integer.toString(i + 1), "color", it.color(), "object", it.noun(),
                    "count", Integer.toString(it.count()))));
        }
        sb.append(". ");
        String question = question(kind, scene, thing, one, r);
        int questionStart = sb.length();
        sb.append(question);
        String stem = sb.toString();
        Optional<String> answer = answer(scene, question);
        List<String> options = optionsFor(kind);
        if (answer.isEmpty() || !options.contains(answer.get())) {
            return Optional.empty();
        }
        states.add(new LatentState(questionStart, stem.length(), Map.of("answer", answer.get())));
        return Optional.of(MultipleChoice.example(FAMILY, level, stem, options, options.indexOf(answer.get()), states)
                .withMetadata("kind", kind.name().toLowerCase(java.util.Locale.ROOT)));
    }

    static List<String> optionsFor(Kind kind) {
        return switch (kind) {
            case YES_NO -> YES_NO;
            case NEITHER, ROW_COUNT -> NUMBERS.subList(0, 7);
            case REMOVE -> NUMBERS;
            default -> COLORS;
        };
    }

    /** A reference to one row member, by its colour or by its kind, as the real questions make. */
    private static String reference(Item item, String one, Random r) {
        return r.nextBoolean() ? item.color() + " " + one : item.noun();
    }

    private static String question(Kind kind, Scene s, String thing, String one, Random r) {
        Item some = pick(s.items(), r);
        return switch (kind) {
            case COLOR_OF -> "What color is the " + some.noun() + "?";
            case YES_NO -> "Is the " + some.noun() + " " + (r.nextBoolean() ? some.color() : pick(COLORS, r)) + "?";
            case NEITHER -> {
                List<String> two = r.nextDouble() < 0.7
                        ? sample(s.items().stream().map(Item::color).toList(), 2, r) : sample(COLORS, 2, r);
                yield "How many " + pick(KINDS_OF_THING, r) + " are neither " + two.get(0) + " nor " + two.get(1) + "?";
            }
            case MOST -> "What is the color of the " + (r.nextBoolean() ? "left" : "right") + "-most " + one + "?";
            case ADJACENT -> "What is the color of the " + one + " directly to the " + (r.nextBoolean() ? "left" : "right")
                    + " of the " + reference(some, one, r) + "?";
            case FURTHEST -> "What is the color of the " + one + " furthest from the " + reference(some, one, r) + "?";
            case ROW_COUNT -> "How many non-" + (r.nextDouble() < 0.8 ? pick(s.items(), r).color() : pick(COLORS, r))
                    + " " + thing + " do you see to the " + (r.nextBoolean() ? "left" : "right") + " of the "
                    + reference(some, one, r) + "?";
            case REMOVE -> {
                String color = r.nextDouble() < 0.9 ? pick(s.items(), r).color() : pick(COLORS, r);
                String removedColor = pick(s.items(), r).color();
                yield r.nextBoolean()
                        ? "If I remove all the " + PLURALS.get(some.noun()) + " from the " + s.surface()
                                + ", how many " + color + " " + pick(KINDS_OF_THING, r) + " remain on it?"
                        : "If I remove all the " + removedColor + " " + pick(KINDS_OF_THING, r) + " from the "
                                + s.surface() + ", how many " + PLURALS.get(pick(s.items(), r).noun())
                                + " remain on it?";
            }
        };
    }

    // ---- solving ----------------------------------------------------------------------------------------------

    private static final String COLOR = "(" + String.join("|", COLORS) + ")";
    private static final String NOUN = "(" + String.join("|", PLURALS.keySet()) + ")";
    private static final String NOUNS = "(" + String.join("|", PLURALS.values()) + ")";
    private static final String THING = "(thing|item|object)";
    private static final String THINGS = "(things|items|objects)";
    private static final String REF = "(?:" + COLOR + " " + THING + "|" + NOUN + ")";

    private static final Pattern INTRO = Pattern.compile("On the (floor|desk|table|nightstand), (?:you see|I see|there is|there are) "
            + "(?:(?:a set of|several|a bunch of|the following) " + THINGS + " arranged in a row: )?(.*?)\\. (.*)");
    private static final Pattern ITEM = Pattern.compile("(a|an|one|two|three|four|five|six) " + COLOR + " (.+)");

    private record Rule(Pattern pattern, java.util.function.BiFunction<Scene, Matcher, Optional<String>> answer) {}

    private static final List<Rule> RULES = List.of(
            rule("What (?:color is|is the color of) the " + NOUN + "\\?",
                    (s, m) -> find(s, m.group(1)).map(Item::color)),
            rule("Is the " + NOUN + " " + COLOR + "\\?",
                    (s, m) -> find(s, m.group(1)).map(i -> i.color().equals(m.group(2)) ? "yes" : "no")),
            rule("How many " + THINGS + " are neither " + COLOR + " nor " + COLOR + "\\?",
                    (s, m) -> count(s.items(), i -> !i.color().equals(m.group(2)) && !i.color().equals(m.group(3)))),
            rule("What is the color of the (left|right)-most " + THING + "\\?",
                    (s, m) -> Optional.of(s.items().get(m.group(1).equals("left") ? 0 : s.items().size() - 1).color())),
            rule("What is the color of the " + THING + " directly to the (left|right) of the " + REF + "\\?",
                    (s, m) -> index(s, m.group(3), m.group(5)).flatMap(i -> {
                        int j = i + (m.group(2).equals("left") ? -1 : 1);
                        return j >= 0 && j < s.items().size() ? Optional.of(s.items().get(j).color()) : Optional.empty();
                    })),
            rule("What is the color of the " + THING + " furthest from the " + REF + "\\?",
                    (s, m) -> index(s, m.group(2), m.group(4)).flatMap(i -> {
                        int last = s.items().size() - 1;
                        return i == last - i ? Optional.empty()
                                : Optional.of(s.items().get(i > last - i ? 0 : last).color());
                    })),
            rule("How many non-" + COLOR + " " + THINGS + " do you see to the (left|right) of the " + REF + "\\?",
                    (s, m) -> index(s, m.group(4), m.group(6)).flatMap(i -> {
                        List<Item> side = m.group(3).equals("left")
                                ? s.items().subList(0, i) : s.items().subList(i + 1, s.items().size());
                        return count(side, it -> !it.color().equals(m.group(1)));
                    })),
            rule("If I remove all the " + NOUNS + " from the (?:floor|desk|table|nightstand), how many " + COLOR + " "
                            + THINGS + " remain on it\\?",
                    (s, m) -> count(s.items(), i -> !PLURALS.get(i.noun()).equals(m.group(1))
                            && i.color().equals(m.group(2)))),
            rule("If I remove all the " + COLOR + " " + THINGS + " from the (?:floor|desk|table|nightstand), how many "
                            + NOUNS + " remain on it\\?",
                    (s, m) -> count(s.items(), i -> !i.color().equals(m.group(1))
                            && PLURALS.get(i.noun()).equals(m.group(3)))));

    private static Rule rule(String regex, java.util.function.BiFunction<Scene, Matcher, Optional<String>> answer) {
        return new Rule(Pattern.compile(regex), answer);
    }

    private static Optional<Item> find(Scene s, String noun) {
        List<Item> hits = s.items().stream().filter(i -> i.noun().equals(noun)).toList();
        return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
    }

    /** Index of the one row member a reference names, by colour (when {@code color} is set) or by kind. */
    private static Optional<Integer> index(Scene s, String color, String noun) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < s.items().size(); i++) {
            Item it = s.items().get(i);
            if (color != null ? it.color().equals(color) : it.noun().equals(noun)) {
                hits.add(i);
            }
        }
        return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
    }

    private static Optional<String> count(List<Item> items, Predicate<Item> test) {
        int n = items.stream().filter(test).mapToInt(Item::count).sum();
        return n < NUMBERS.size() ? Optional.of(NUMBERS.get(n)) : Optional.empty();
    }

    /** Parses the opening sentence into a scene and the question, if both are in the templates' forms. */
    static Optional<Map.Entry<Scene, String>> read(String stem) {
        Matcher m = INTRO.matcher(stem);
        if (!m.matches()) {
            return Optional.empty();
        }
        String[] parts = m.group(3).split(", and |, | and ");
        List<Item> items = new ArrayList<>();
        for (String part : parts) {
            Matcher it = ITEM.matcher(part);
            if (!it.matches()) {
                return Optional.empty();
            }
            int count = switch (it.group(1)) {
                case "a", "an" -> 1;
                default -> NUMBERS.indexOf(it.group(1));
            };
            String noun = it.group(3);
            if (!PLURALS.containsKey(noun)) {
                noun = PLURALS.entrySet().stream().filter(e -> e.getValue().equals(it.group(3))).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (noun == null) {
                    return Optional.empty();
                }
            }
            items.add(new Item(it.group(2), noun, count));
        }
        return Optional.of(Map.entry(new Scene(items, m.group(2) != null, m.group(1)), m.group(4)));
    }

    /** The answer text to a template question about a scene, when it has exactly one. */
    static Optional<String> answer(Scene scene, String question) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(question);
            if (m.matches()) {
                return rule.answer().apply(scene, m);
            }
        }
        return Optional.empty();
    }

    /** Whether a whole input is in the generator's forms: a template scene and question, a real option list. */
    static boolean inTemplateForm(String input) {
        return MultipleChoice.parse(input)
                .filter(p -> List.of(COLORS, NUMBERS, NUMBERS.subList(0, 7), YES_NO).contains(p.options()))
                .flatMap(p -> read(p.stem()))
                .filter(sq -> isTemplateQuestion(sq.getValue())).isPresent();
    }

    /** Whether a question is in one of the template forms. */
    static boolean isTemplateQuestion(String question) {
        return RULES.stream().anyMatch(r -> r.pattern().matcher(question).matches());
    }

    /** The solver: parses the scene, answers the question, finds the answer among the options. */
    static Optional<Integer> solve(String input) {
        return MultipleChoice.parse(input).flatMap(p -> read(p.stem())
                .flatMap(sq -> answer(sq.getKey(), sq.getValue()))
                .flatMap(p::indexOf));
    }
}
