package dev.hir.bigbench.families;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.LatentState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Generates penguins_in_a_table questions: the real header sentence and "For example" sentence over a random table
 * of four penguins, the real edits (add a penguin, delete a penguin, a second table of giraffes) with the real
 * frequencies, one of the real question templates, and options built the way the real ones are (the five penguin
 * names in table order, 1–5 or 5–9 for counts, the column's values in table order, sorted sums …).
 *
 * <p>Levels: 0 reads one cell or one row position of an unedited table (the answer is a copy); 1 asks any question
 * about an unedited table; 2 is the BBH distribution with edits. Latent states: the roster after the table and
 * after each edit, and the answer on the question.
 */
public final class PenguinsInATableGenerator implements ExampleGenerator {

    /** The family name. */
    public static final String FAMILY = "penguins_in_a_table";

    /** One row. */
    record Animal(String name, int age, int height, int weight) {
        String row() {
            return name + ", " + age + ", " + height + ", " + weight;
        }

        int value(String column) {
            return switch (column) {
                case "age" -> age;
                case "height" -> height;
                case "weight" -> weight;
                default -> throw new IllegalArgumentException(column);
            };
        }
    }

    /** The tables after all edits. */
    record World(List<Animal> penguins, List<Animal> giraffes) {
        World {
            penguins = List.copyOf(penguins);
            giraffes = List.copyOf(giraffes);
        }

        List<Animal> population(String noun) {
            return switch (noun) {
                case "penguin", "penguins" -> penguins;
                case "giraffe", "giraffes" -> giraffes;
                default -> {
                    List<Animal> all = new ArrayList<>(penguins);
                    all.addAll(giraffes);
                    yield all;
                }
            };
        }

        Optional<Animal> named(String name) {
            return population("animals").stream().filter(a -> a.name().equals(name)).findFirst();
        }
    }

    static final String HEADER = "Here is a table where the first line is a header and each subsequent line is a penguin:"
            + "  name, age, height (cm), weight (kg) ";
    static final String COLUMNS = "name, age, height (cm), weight (kg)";
    static final String ADD = "We now add a penguin to the table:";
    static final String GIRAFFES = "And here is a similar table, but listing giraffes:";

    private static final List<String> PENGUIN_NAMES = List.of(
            "Louis", "Bernard", "Vincent", "Gwen", "James", "Oscar", "Hugo", "Felix", "Pablo", "Chloe", "Emma", "Nina",
            "Victor", "Albert", "Paul", "Claire", "Lucas", "Rosa", "Simon", "Marcel", "Jules", "Ada", "Theo", "Ivy",
            "Leon", "Mabel", "Otto", "Pierre", "Edith", "Henri");
    private static final List<String> GIRAFFE_NAMES = List.of(
            "Jody", "Gladys", "Marian", "Donna", "Louise", "Wanda", "Betty", "Doris", "Irma", "Kendra", "Tessa", "Greta",
            "Norma", "Olive", "Ruth", "Sybil", "Vera", "Hazel");
    static final List<String> SPECIES = List.of("bears", "crocodiles", "elephants", "giraffes", "penguins");
    private static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three", "four", "five");
    private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth", "fifth");

    private static final int LEVELS = 3;

    /** Edit combinations of the real data (add, delete, giraffes) and how many of the 146 have each. */
    private static final int[][] BBH_EDITS = {
        {0, 0, 0, 52}, {1, 0, 0, 22}, {0, 0, 1, 20}, {1, 0, 1, 19}, {0, 1, 0, 17}, {1, 1, 0, 16}};

    private final double editShare;

    /** The BBH setting: 64% of examples edit the table. */
    public PenguinsInATableGenerator() {
        this(94.0 / 146);
    }

    /**
     * @param editShare at the default level, the share of examples with at least one edit (add, delete, giraffes),
     *     in [0, 1]; the real data has 94 of 146
     * @throws IllegalArgumentException if the share is outside [0, 1]
     */
    public PenguinsInATableGenerator(double editShare) {
        if (!(editShare >= 0 && editShare <= 1)) {
            throw new IllegalArgumentException("editShare must be in [0, 1]: " + editShare);
        }
        this.editShare = editShare;
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

    // ---- generation -------------------------------------------------------------------------------------------

    /** How a question's options are built, as in the real data. */
    enum OptionKind { PENGUIN_NAMES, GIRAFFE_NAMES, SORTED_NAMES, COUNT, COLUMN_VALUES, SUMS, STEPS_OF_FIVE, SPECIES }

    private record Template(String text, OptionKind kind, String column) {}

    @Override
    public Example generate(int level, Random random) {
        MultipleChoice.checkLevel(level, LEVELS);
        while (true) {
            Optional<Example> e = attempt(level, random);
            if (e.isPresent()) {
                return e.get();
            }
        }
    }

    private Optional<Example> attempt(int level, Random r) {
        List<String> names = sample(PENGUIN_NAMES, 5, r);
        List<Animal> table = new ArrayList<>();
        Set<Integer> ages = new LinkedHashSet<>();
        Set<Integer> heights = new LinkedHashSet<>();
        while (ages.size() < 5) {
            ages.add(2 + r.nextInt(12));
        }
        while (heights.size() < 5) {
            heights.add(10 * (4 + r.nextInt(8)));
        }
        List<Integer> a = new ArrayList<>(ages);
        List<Integer> h = new ArrayList<>(heights);
        for (int i = 0; i < 5; i++) {
            table.add(new Animal(names.get(i), a.get(i), h.get(i), 9 + r.nextInt(8)));
        }
        Animal extra = table.remove(4);
        List<String> gNames = sample(GIRAFFE_NAMES, 5, r);
        List<Animal> giraffes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            giraffes.add(new Animal(gNames.get(i), 2 + r.nextInt(14), 10 * (28 + r.nextInt(20)), 10 * (38 + r.nextInt(30))));
        }
        String extraGiraffe = gNames.get(4);

        boolean add = false;
        boolean delete = false;
        boolean withGiraffes = false;
        if (level == 2 && r.nextDouble() < editShare) {
            int[] combo = pickEdit(r);
            add = combo[0] == 1;
            delete = combo[1] == 1;
            withGiraffes = combo[2] == 1;
        }
        String deleted = table.get(r.nextInt(4)).name();

        // Text and latent states.
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append(table.stream().map(Animal::row).collect(Collectors.joining(" ")));
        sb.append("  For example: the age of ").append(table.get(0).name()).append(" is ").append(table.get(0).age())
                .append(", the weight of ").append(table.get(3).name()).append(" is ").append(table.get(3).weight())
                .append(" kg, the height of ").append(table.get(1).name()).append(" is ").append(table.get(1).height())
                .append(" cm.");
        List<LatentState> states = new ArrayList<>();
        List<Animal> penguins = new ArrayList<>(table);
        states.add(new LatentState(0, sb.length(), Map.of("penguins", roster(penguins))));
        sb.append("  ");
        if (add) {
            int start = sb.length();
            sb.append(ADD).append('\n').append(extra.row()).append('\n');
            penguins.add(extra);
            states.add(new LatentState(start, sb.length() - 1, Map.of("penguins", roster(penguins))));
        }
        if (delete) {
            int start = sb.length();
            sb.append("We then delete the penguin named ").append(deleted).append(" from the table.\n");
            penguins.removeIf(p -> p.name().equals(deleted));
            states.add(new LatentState(start, sb.length() - 1, Map.of("penguins", roster(penguins))));
        }
        if (withGiraffes) {
            int start = sb.length();
            sb.append(GIRAFFES).append('\n').append(COLUMNS).append('\n');
            for (Animal g : giraffes) {
                sb.append(g.row()).append('\n');
            }
            states.add(new LatentState(start, sb.length() - 1, Map.of("giraffes", roster(giraffes))));
        }
        World world = new World(penguins, withGiraffes ? giraffes : List.of());
        Template t = question(level, world, table, extra, r);
        int questionStart = sb.length();
        sb.append(t.text());
        String stem = sb.toString();

        Optional<String> answer = answer(world, t.text());
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        List<Animal> fivePenguins = new ArrayList<>(table);
        fivePenguins.add(extra);
        Optional<List<String>> options = options(t, answer.get(), world, fivePenguins, giraffes, extraGiraffe,
                table, extra, r);
        if (options.isEmpty() || options.get().stream().filter(answer.get()::equals).count() != 1) {
            return Optional.empty();
        }
        states.add(new LatentState(questionStart, stem.length(), Map.of("answer", answer.get())));
        return Optional.of(MultipleChoice.example(FAMILY, level, stem, options.get(),
                options.get().indexOf(answer.get()), states));
    }

    private static int[] pickEdit(Random r) {
        int total = 0;
        for (int[] e : BBH_EDITS) {
            total += e[1] + e[0] + e[2] == 0 ? 0 : e[3];
        }
        int pick = r.nextInt(total);
        for (int[] e : BBH_EDITS) {
            if (e[0] + e[1] + e[2] == 0) {
                continue;
            }
            pick -= e[3];
            if (pick < 0) {
                return e;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static String roster(List<Animal> animals) {
        return animals.stream().map(Animal::row).collect(Collectors.joining("; "));
    }

    private static <T> List<T> sample(List<T> pool, int n, Random r) {
        List<T> copy = new ArrayList<>(pool);
        java.util.Collections.shuffle(copy, r);
        return List.copyOf(copy.subList(0, n));
    }

    private static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    /** One question template filled for this table; level 0 only lookups, the rest all the real kinds. */
    private static Template question(int level, World w, List<Animal> table, Animal extra, Random r) {
        boolean g = !w.giraffes().isEmpty();
        String column = pick(List.of("age", "height", "weight"), r);
        Animal someone = pick(w.penguins(), r);
        if (level == 0) {
            return switch (r.nextInt(3)) {
                case 0 -> new Template("What is the " + column + " of " + someone.name() + "?", OptionKind.COLUMN_VALUES,
                        column);
                case 1 -> new Template("What is the name of the penguin that is " + someone.age() + " years old?",
                        OptionKind.PENGUIN_NAMES, "");
                default -> new Template("What is the name of the " + pick(List.of("first", "second", "last"), r)
                        + " penguin?", OptionKind.PENGUIN_NAMES, "");
            };
        }
        String moreLess = r.nextBoolean() ? "more" : "less";
        // Thresholds inside the table's range, as in the real questions, so that counts are rarely 0 (not an option).
        int minAge = w.penguins().stream().mapToInt(Animal::age).min().orElse(5);
        int maxAge = w.penguins().stream().mapToInt(Animal::age).max().orElse(9);
        int k = minAge + 1 + r.nextInt(Math.max(1, maxAge - minAge - 1));
        int minWeight = w.penguins().stream().mapToInt(Animal::weight).min().orElse(10);
        int maxWeight = w.penguins().stream().mapToInt(Animal::weight).max().orElse(15);
        int kg = minWeight + r.nextInt(Math.max(1, maxWeight - minWeight + 1));
        int pick = r.nextInt(25);
        return switch (pick < 3 ? 0 : pick - 3) {
            case 0, 1 -> new Template("How many penguins are " + moreLess + " than " + k + " years old?",
                    OptionKind.COUNT, "");
            case 2 -> new Template("How many penguins are " + moreLess + " than " + k + " years old and weight "
                    + (r.nextBoolean() ? "more" : "less") + " than " + kg + " kg?", OptionKind.COUNT, "");
            case 3 -> g ? new Template("How many " + pick(List.of("animals", "giraffes"), r) + " are " + moreLess
                    + " than " + k + " years old?", OptionKind.COUNT, "")
                    : new Template("How many penguins are there in the table?", OptionKind.COUNT, "");
            case 4 -> g ? new Template(pick(List.of("How many penguins are there in the tables?",
                    "How many giraffes are there in the tables?", "How many animals are listed in the tables?",
                    "How many species are listed in the tables?"), r), OptionKind.COUNT, "")
                    : new Template(pick(List.of("How many animals are listed in the table?",
                    "How many species are listed in the table?", "How many columns are there in the table?",
                    "what is the number of the column with the " + pick(List.of("names", "ages", "heights", "weights"), r)
                            + " (1, 2, 3 or 4)?"), r), OptionKind.COUNT, "");
            case 5, 6 -> new Template("Which is the " + pick(List.of("oldest", "youngest", "tallest", "shortest",
                    "heaviest", "second heaviest", "second youngest", "second oldest"), r) + " penguin?",
                    OptionKind.PENGUIN_NAMES, "");
            case 7 -> g ? new Template("Which is the " + pick(List.of("oldest", "youngest", "tallest"), r) + " giraffe?",
                    OptionKind.GIRAFFE_NAMES, "")
                    : new Template("Which penguin is " + pick(List.of("older", "taller"), r) + " than the other ones?",
                    OptionKind.PENGUIN_NAMES, "");
            case 8, 9 -> new Template("What is the name of the " + pick(List.of("first", "second", "last"), r)
                    + " penguin" + (r.nextBoolean() ? " sorted by alphabetic order" : "") + "?", OptionKind.PENGUIN_NAMES,
                    "");
            case 10 -> g ? new Template(pick(List.of("What is the name of the last giraffe?",
                    "What is the name of the last giraffe sorted by alphabetic order?"), r), OptionKind.GIRAFFE_NAMES, "")
                    : new Template("What is the name of the next to last penguin sorted by alphabetic order?",
                    OptionKind.PENGUIN_NAMES, "");
            case 11 -> g ? new Template(pick(List.of("What is the name of the last animal?",
                    "What is the name of the last animal sorted by alphabetic order?"), r), OptionKind.SORTED_NAMES, "")
                    : new Template("What is the " + column + " of " + someone.name() + "?", OptionKind.COLUMN_VALUES,
                    column);
            case 12 -> new Template(r.nextBoolean()
                    ? "What is the name of the penguin that is " + someone.height() + " cm tall?"
                    : "What is the name of the " + someone.height() + " cm tall penguin?", OptionKind.PENGUIN_NAMES, "");
            case 13 -> new Template("What is the " + pick(List.of("shortest", "largest"), r) + " height?",
                    OptionKind.COLUMN_VALUES, "height");
            case 14 -> new Template("Which penguin is " + pick(List.of("older", "younger", "taller", "shorter"), r)
                    + " than " + someone.name() + "?", OptionKind.PENGUIN_NAMES, "");
            case 15 -> new Template("Which penguin is " + moreLess + " than " + k + " years old?",
                    OptionKind.PENGUIN_NAMES, "");
            case 16 -> {
                int d = 1 + r.nextInt(3);
                yield new Template("Which penguin is " + NUMBER_WORDS.get(d) + (d == 1 ? " year " : " years ")
                        + (r.nextBoolean() ? "younger" : "older") + " than " + someone.name() + "?",
                        OptionKind.PENGUIN_NAMES, "");
            }
            case 17 -> {
                Animal other = pick(w.penguins(), r);
                yield new Template("Which penguin is older than " + someone.name() + " and younger than " + other.name()
                        + "?", OptionKind.PENGUIN_NAMES, "");
            }
            case 18 -> new Template("Which penguin is " + pick(List.of("younger", "older"), r) + " but "
                    + pick(List.of("taller", "shorter"), r) + " than " + someone.name() + "?", OptionKind.PENGUIN_NAMES,
                    "");
            case 19 -> g ? new Template("What is the cumulated age of the " + pick(List.of("penguins", "giraffes",
                    "animals", "penguins and giraffes"), r) + "?", OptionKind.SUMS, "age")
                    : new Template("What is the cumulated " + pick(List.of("age", "weight"), r) + " of the penguins?",
                    OptionKind.SUMS, "");
            case 20 -> new Template("What is the average height of the penguins?", OptionKind.STEPS_OF_FIVE, "");
            default -> r.nextInt(3) == 0 ? new Template("What animals are listed in the table?", OptionKind.SPECIES, "")
                    : new Template("Which penguin has the shortest name?", OptionKind.PENGUIN_NAMES, "");
        };
    }

    private static Optional<List<String>> options(Template t, String answer, World w, List<Animal> fivePenguins,
            List<Animal> giraffes, String extraGiraffe, List<Animal> table, Animal extra, Random r) {
        return switch (t.kind()) {
            case PENGUIN_NAMES -> Optional.of(fivePenguins.stream().map(Animal::name).toList());
            case GIRAFFE_NAMES -> {
                List<String> o = new ArrayList<>(giraffes.stream().map(Animal::name).toList());
                o.add(extraGiraffe);
                yield Optional.of(o);
            }
            case SORTED_NAMES -> {
                Set<String> pool = new LinkedHashSet<>();
                fivePenguins.forEach(p -> pool.add(p.name()));
                giraffes.forEach(p -> pool.add(p.name()));
                pool.add(extraGiraffe);
                pool.remove(answer);
                TreeSet<String> chosen = new TreeSet<>(sample(List.copyOf(pool), 4, r));
                chosen.add(answer);
                yield Optional.of(List.copyOf(chosen));
            }
            case COUNT -> {
                int n = Integer.parseInt(answer);
                int population = t.text().contains("animals") ? w.population("animals").size() : 0;
                int from = population > 5 ? 5 : 1;
                yield n >= from && n < from + 5
                        ? Optional.of(IntStream.range(from, from + 5).mapToObj(Integer::toString).toList())
                        : Optional.empty();
            }
            case COLUMN_VALUES -> Optional.of(fivePenguins.stream().map(p -> Integer.toString(p.value(t.column())))
                    .distinct().toList());
            case SUMS -> {
                ToIntFunction<List<Animal>> sum = l -> l.stream().mapToInt(p -> p.value(t.column().isEmpty()
                        ? (t.text().contains("weight") ? "weight" : "age") : t.column())).sum();
                List<Animal> withExtra = new ArrayList<>(table);
                withExtra.add(extra);
                Set<Integer> candidates = new TreeSet<>();
                candidates.add(Integer.parseInt(answer));
                candidates.add(sum.applyAsInt(table));
                candidates.add(sum.applyAsInt(withExtra));
                candidates.add(sum.applyAsInt(w.penguins()));
                if (!w.giraffes().isEmpty()) {
                    candidates.add(sum.applyAsInt(w.giraffes()));
                    candidates.add(sum.applyAsInt(table) + sum.applyAsInt(w.giraffes()));
                }
                while (candidates.size() < 5) {
                    candidates.add(Integer.parseInt(answer) + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(15)));
                }
                List<Integer> list = new ArrayList<>(candidates);
                while (list.size() > 5) {
                    int i = r.nextInt(list.size());
                    if (list.get(i) != Integer.parseInt(answer)) {
                        list.remove(i);
                    }
                }
                yield Optional.of(list.stream().map(Object::toString).toList());
            }
            case STEPS_OF_FIVE -> {
                int n = Integer.parseInt(answer);
                int pos = r.nextInt(5);
                yield Optional.of(IntStream.range(0, 5).mapToObj(i -> Integer.toString(n + 5 * (i - pos))).toList());
            }
            case SPECIES -> Optional.of(SPECIES);
        };
    }

    // ---- solving ----------------------------------------------------------------------------------------------

    private record Rule(Pattern pattern, BiFunction<World, Matcher, Optional<String>> answer) {}

    private static final Pattern FIRST_LINE = Pattern.compile(Pattern.quote(HEADER) + "(.*?)  For example: "
            + "the age of \\w+ is \\d+, the weight of \\w+ is \\d+ kg, the height of \\w+ is \\d+ cm\\.  (.*)");
    private static final Pattern ROW = Pattern.compile("([A-Z][a-z]+), (\\d+), (\\d+), (\\d+)");
    private static final Pattern DELETE = Pattern.compile("We then delete the penguin named (\\w+) from the table\\.");

    /** What the real data's questions mean; the generator asks the same questions and answers them here. */
    private static final List<Rule> RULES = rules();

    private static List<Rule> rules() {
        List<Rule> l = new ArrayList<>();
        l.add(rule("How many (penguins|giraffes|animals) are (more|less) than (\\d+) years old\\?",
                (w, m) -> count(w.population(m.group(1)), p -> compare(p.age(), m.group(2), num(m, 3)))));
        l.add(rule("How many penguins are (more|less) than (\\d+) years old and weight (more|less) than (\\d+) kg\\?",
                (w, m) -> count(w.penguins(),
                        p -> compare(p.age(), m.group(1), num(m, 2)) && compare(p.weight(), m.group(3), num(m, 4)))));
        l.add(rule("How many (penguins|giraffes) are there in the tables?\\?",
                (w, m) -> Optional.of(Integer.toString(w.population(m.group(1)).size()))));
        l.add(rule("How many animals are listed in the tables?\\?",
                (w, m) -> Optional.of(Integer.toString(w.population("animals").size()))));
        l.add(rule("How many species are listed in the tables?\\?",
                (w, m) -> Optional.of(w.giraffes().isEmpty() ? "1" : "2")));
        l.add(rule("How many columns are there in the table\\?", (w, m) -> Optional.of("4")));
        l.add(rule("what is the number of the column with the (names|ages|heights|weights) \\(1, 2, 3 or 4\\)\\?",
                (w, m) -> Optional.of(Integer.toString(
                        List.of("names", "ages", "heights", "weights").indexOf(m.group(1)) + 1))));
        l.add(rule("Which is the (second )?(oldest|youngest|younest|tallest|shortest|heaviest|lightest) "
                        + "(penguin|giraffe|animal)\\?",
                (w, m) -> ranked(w.population(m.group(3)), m.group(2), m.group(1) == null ? 0 : 1)));
        l.add(rule("Which (penguin|giraffe) is (older|taller|heavier|younger|shorter|lighter) than the other ones\\?",
                (w, m) -> ranked(w.population(m.group(1)), superlative(m.group(2)), 0)));
        l.add(rule("What is the name of the (first|second|third|fourth|last|next to last) (penguin|giraffe|animal)\\?",
                (w, m) -> positional(w.population(m.group(2)).stream().map(Animal::name).toList(), m.group(1))));
        l.add(rule("What is the name of the (first|fist|second|third|fourth|last|next to last) (penguin|giraffe|animal) "
                        + "sorted by alphabetic order\\?",
                (w, m) -> positional(w.population(m.group(2)).stream().map(Animal::name).sorted().toList(),
                        m.group(1).equals("fist") ? "first" : m.group(1))));
        l.add(rule("What is the (age|height|weight) of (\\w+)\\?",
                (w, m) -> w.named(m.group(2)).map(a -> Integer.toString(a.value(m.group(1))))));
        l.add(rule("What is the name of the (penguin|giraffe) that is (\\d+) years old\\?",
                (w, m) -> unique(w.population(m.group(1)), a -> a.age() == num(m, 2))));
        l.add(rule("What is the name of the (penguin|giraffe) that is (\\d+) cm tall\\?",
                (w, m) -> unique(w.population(m.group(1)), a -> a.height() == num(m, 2))));
        l.add(rule("What is the name of the (\\d+(?:\\.\\d+)?) (cm|m) tall (penguin|giraffe)\\?",
                (w, m) -> {
                    double cm = Double.parseDouble(m.group(1)) * (m.group(2).equals("m") ? 100 : 1);
                    return unique(w.population(m.group(3)), a -> Math.abs(a.height() - cm) < 1e-6);
                }));
        l.add(rule("What is the (shortest|smallest|largest|tallest) height\\?",
                (w, m) -> {
                    var heights = w.penguins().stream().mapToInt(Animal::height);
                    int v = m.group(1).equals("largest") || m.group(1).equals("tallest")
                            ? heights.max().orElse(0) : heights.min().orElse(0);
                    return Optional.of(Integer.toString(v));
                }));
        l.add(rule("Which (penguin|giraffe) is (older|younger|taller|shorter|heavier|lighter) than (\\w+)\\?",
                (w, m) -> w.named(m.group(3)).flatMap(ref -> unique(w.population(m.group(1)),
                        a -> than(a, ref, m.group(2))))));
        l.add(rule("Which (penguin|giraffe) is (more|less) than (\\d+) years old\\?",
                (w, m) -> unique(w.population(m.group(1)), a -> compare(a.age(), m.group(2), num(m, 3)))));
        l.add(rule("Which (penguin|giraffe) is (one|two|three|four|five) years? (younger|older) than (\\w+)\\?",
                (w, m) -> w.named(m.group(4)).flatMap(ref -> {
                    int d = NUMBER_WORDS.indexOf(m.group(2)) * (m.group(3).equals("younger") ? -1 : 1);
                    return unique(w.population(m.group(1)), a -> a.age() == ref.age() + d);
                })));
        l.add(rule("Which penguin is (older|younger) than (\\w+) and (older|younger) than (\\w+)\\?",
                (w, m) -> w.named(m.group(2)).flatMap(x -> w.named(m.group(4)).flatMap(y -> unique(w.penguins(),
                        a -> than(a, x, m.group(1)) && than(a, y, m.group(3)))))));
        l.add(rule("Which penguin is (younger|older) but (taller|shorter) than (\\w+)\\?",
                (w, m) -> w.named(m.group(3)).flatMap(x -> unique(w.penguins(),
                        a -> than(a, x, m.group(1)) && than(a, x, m.group(2))))));
        l.add(rule("What is the cumulated (age|height|weight) of the (penguins|giraffes|animals|penguins and giraffes)\\?",
                (w, m) -> Optional.of(Integer.toString(w.population(m.group(2).equals("penguins and giraffes")
                        ? "animals" : m.group(2)).stream().mapToInt(a -> a.value(m.group(1))).sum()))));
        l.add(rule("What is the average (age|height|weight) of the (penguins|giraffes)\\?",
                (w, m) -> {
                    List<Animal> pop = w.population(m.group(2));
                    int total = pop.stream().mapToInt(a -> a.value(m.group(1))).sum();
                    return pop.isEmpty() || total % pop.size() != 0 ? Optional.empty()
                            : Optional.of(Integer.toString(total / pop.size()));
                }));
        l.add(rule("What animals are listed in the table\\?", (w, m) -> Optional.of("penguins")));
        l.add(rule("Which penguin has the (shortest|longest) name\\?",
                (w, m) -> ranked(w.penguins(), m.group(1).equals("shortest") ? "shortest name" : "longest name", 0)));
        // World knowledge the real questions test; each names the famous bearer of a first name.
        l.add(rule("Which penguin has a welsh name\\?", (w, m) -> known(w, WELSH)));
        l.add(rule("Which penguin has the first name of a famous jazzman\\?", (w, m) -> known(w, JAZZMEN)));
        l.add(rule("Which penguin shares his first name with a famous painter\\?", (w, m) -> known(w, PAINTERS)));
        l.add(rule("Which penguin is a female\\?", (w, m) -> known(w, FEMALE)));
        return List.copyOf(l);
    }

    private static final Set<String> WELSH = Set.of("Gwen", "Rhys", "Dylan", "Bryn", "Cerys", "Gareth");
    private static final Set<String> JAZZMEN = Set.of("Louis", "Miles", "Duke", "Dizzy", "Thelonious", "Charlie");
    private static final Set<String> PAINTERS = Set.of("Vincent", "Pablo", "Claude", "Rembrandt", "Salvador");
    private static final Set<String> FEMALE = Set.of("Gwen", "Chloe", "Emma", "Nina", "Claire", "Rosa", "Ada",
            "Ivy", "Mabel", "Edith");

    private static Optional<String> known(World w, Set<String> names) {
        return unique(w.penguins(), a -> names.contains(a.name()));
    }

    private static Rule rule(String regex, BiFunction<World, Matcher, Optional<String>> answer) {
        return new Rule(Pattern.compile(regex), answer);
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static boolean compare(int value, String moreLess, int bound) {
        return moreLess.equals("more") ? value > bound : value < bound;
    }

    private static boolean than(Animal a, Animal ref, String comparative) {
        return switch (comparative) {
            case "older" -> a.age() > ref.age();
            case "younger" -> a.age() < ref.age();
            case "taller" -> a.height() > ref.height();
            case "shorter" -> a.height() < ref.height();
            case "heavier" -> a.weight() > ref.weight();
            default -> a.weight() < ref.weight();
        };
    }

    private static String superlative(String comparative) {
        return switch (comparative) {
            case "older" -> "oldest";
            case "younger" -> "youngest";
            case "taller" -> "tallest";
            case "shorter" -> "shortest";
            case "heavier" -> "heaviest";
            default -> "lightest";
        };
    }

    private static Optional<String> count(List<Animal> population, java.util.function.Predicate<Animal> test) {
        return Optional.of(Long.toString(population.stream().filter(test).count()));
    }

    private static Optional<String> unique(List<Animal> population, java.util.function.Predicate<Animal> test) {
        List<Animal> hits = population.stream().filter(test).toList();
        return hits.size() == 1 ? Optional.of(hits.get(0).name()) : Optional.empty();
    }

    /** The animal at {@code rank} (0 = the most) by a superlative; empty when a tie makes it ambiguous. */
    private static Optional<String> ranked(List<Animal> population, String superlative, int rank) {
        Comparator<Animal> most = switch (superlative) {
            case "oldest" -> Comparator.comparingInt(Animal::age).reversed();
            case "youngest", "younest" -> Comparator.comparingInt(Animal::age);
            case "tallest" -> Comparator.comparingInt(Animal::height).reversed();
            case "shortest" -> Comparator.comparingInt(Animal::height);
            case "heaviest" -> Comparator.comparingInt(Animal::weight).reversed();
            case "lightest" -> Comparator.comparingInt(Animal::weight);
            case "shortest name" -> Comparator.comparingInt(a -> a.name().length());
            default -> Comparator.comparingInt((Animal a) -> a.name().length()).reversed();
        };
        List<Animal> sorted = population.stream().sorted(most).toList();
        if (rank >= sorted.size()) {
            return Optional.empty();
        }
        Animal hit = sorted.get(rank);
        long ties = sorted.stream().filter(a -> most.compare(a, hit) == 0).count();
        return ties == 1 ? Optional.of(hit.name()) : Optional.empty();
    }

    private static Optional<String> positional(List<String> names, String which) {
        int i = switch (which) {
            case "last" -> names.size() - 1;
            case "next to last" -> names.size() - 2;
            default -> ORDINALS.indexOf(which);
        };
        return i >= 0 && i < names.size() ? Optional.of(names.get(i)) : Optional.empty();
    }

    /** The answer text for a question about a world, if the question is one of the templates and has one answer. */
    static Optional<String> answer(World w, String question) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(question);
            if (m.matches()) {
                return rule.answer().apply(w, m);
            }
        }
        return Optional.empty();
    }

    /** Whether a whole input is in the generator's forms: the header, known edits, a template question. */
    static boolean inTemplateForm(String input) {
        return MultipleChoice.parse(input).flatMap(p -> read(p.stem()))
                .filter(wq -> isTemplateQuestion(wq.getValue())).isPresent();
    }

    /** Whether a question line is one of the templates. */
    static boolean isTemplateQuestion(String question) {
        return RULES.stream().anyMatch(r -> r.pattern().matcher(question).matches());
    }

    /** Reads the tables, applies the edits in order, and returns the world and the question line. */
    static Optional<Map.Entry<World, String>> read(String stem) {
        Matcher first = FIRST_LINE.matcher(stem.lines().findFirst().orElse(""));
        if (!first.matches()) {
            return Optional.empty();
        }
        List<Animal> penguins = rows(first.group(1));
        if (penguins.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        lines.add(first.group(2));
        stem.lines().skip(1).forEach(lines::add);
        List<Animal> giraffes = new ArrayList<>();
        int i = 0;
        while (i < lines.size() - 1) {
            String line = lines.get(i);
            if (line.equals(ADD)) {
                List<Animal> added = rows(lines.get(i + 1));
                if (added.size() != 1) {
                    return Optional.empty();
                }
                penguins.add(added.get(0));
                i += 2;
            } else if (DELETE.matcher(line).matches()) {
                Matcher d = DELETE.matcher(line);
                d.matches();
                penguins.removeIf(p -> p.name().equals(d.group(1)));
                i++;
            } else if (line.equals(GIRAFFES) && lines.get(i + 1).equals(COLUMNS)) {
                i += 2;
                while (i < lines.size() - 1 && ROW.matcher(lines.get(i)).matches()) {
                    giraffes.addAll(rows(lines.get(i)));
                    i++;
                }
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(Map.entry(new World(penguins, giraffes), lines.get(lines.size() - 1)));
    }

    private static List<Animal> rows(String text) {
        List<Animal> out = new ArrayList<>();
        Matcher m = ROW.matcher(text);
        int at = 0;
        while (m.find()) {
            if (!text.substring(at, m.start()).isBlank()) {
                return List.of();
            }
            out.add(new Animal(m.group(1), num(m, 2), num(m, 3), num(m, 4)));
            at = m.end();
        }
        return text.substring(at).isBlank() ? out : List.of();
    }

    /** The solver: reads the tables and edits, answers the question, and finds the answer among the options. */
    static Optional<Integer> solve(String input) {
        return MultipleChoice.parse(input).flatMap(p -> read(p.stem())
                .flatMap(wq -> answer(wq.getKey(), wq.getValue()))
                .flatMap(p::indexOf));
    }
}
