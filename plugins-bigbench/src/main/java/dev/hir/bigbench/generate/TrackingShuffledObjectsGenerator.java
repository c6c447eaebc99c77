package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.bigbench.BbhFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tracking_shuffled_objects_{three,five,seven}_objects: people swap objects in pairs; which object does one
 * of them hold at the end? Level {@code k} has {@code k} swaps (level 0: the answer is the person's
 * starting object); the default level has as many swaps as people, as in BBH. Latent state: who holds
 * what after the opening sentence and after each swap.
 */
public final class TrackingShuffledObjectsGenerator implements FaithfulGenerator {
    static final List<String> NAMES = List.of("Alice", "Bob", "Claire", "Dave", "Eve", "Fred", "Gertrude");

    /** One of the five BBH stories, with its ten-object pool. */
    record Scenario(String key, String intro, Template holding, String transition, Template swap,
            Template question, List<String> pool) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("books",
                    "are friends and avid readers who occasionally trade books. At the start of the semester, they each buy one new book",
                    new Template("{} gets {}"),
                    "As the semester proceeds, they start trading around the new books.",
                    new Template("{} and {} swap books."),
                    new Template("At the end of the semester, {} has"),
                    List.of("Catch-22", "Frankenstein", "Hound of the Baskervilles", "Lolita", "Moby Dick",
                            "The Fellowship of the Ring", "The Great Gatsby", "The Odyssey", "The Pearl", "Ulysses")),
            new Scenario("dance",
                    "are dancers at a square dance. At the start of a song, they each have a partner",
                    new Template("{} is dancing with {}"),
                    "Throughout the song, the dancers often trade partners.",
                    new Template("{} and {} switch partners."),
                    new Template("At the end of the dance, {} is dancing with"),
                    List.of("Helga", "Izzi", "Jamie", "Karl", "Lola", "Melissa", "Ophelia", "Patrick", "Rodrigo", "Sam")),
            new Scenario("balls",
                    "are playing a game. At the start of the game, they are each holding a ball",
                    // BBH writes "a orange ball": the article is part of the template, not English.
                    new Template("{} has a {}"),
                    "As the game progresses, pairs of players trade balls.",
                    new Template("{} and {} swap balls."),
                    new Template("At the end of the game, {} has the"),
                    List.of("black ball", "blue ball", "brown ball", "green ball", "orange ball", "pink ball",
                            "purple ball", "red ball", "white ball", "yellow ball")),
            new Scenario("gifts",
                    "are holding a white elephant gift exchange. At the start of the event, they are each holding a present of a different color",
                    new Template("{} has a {}"),
                    "As the event progresses, pairs of people swap gifts.",
                    new Template("{} and {} swap their gifts."),
                    new Template("At the end of the event, {} has the"),
                    // The real pool mixes three balls into the presents.
                    List.of("black ball", "blue present", "brown present", "green present", "orange ball",
                            "pink ball", "purple present", "red present", "white present", "yellow present")),
            new Scenario("soccer",
                    "are on the same team in a soccer match. At the start of the match, they are each assigned to a position",
                    new Template("{} is playing {}"),
                    "As the game progresses, pairs of players occasionally swap positions.",
                    new Template("{} and {} trade positions."),
                    new Template("At the end of the match, {} is playing"),
                    List.of("benchwarmer", "center midfielder", "cheerleader", "fullback", "goalkeeper",
                            "left midfielder", "left winger", "right midfielder", "right winger", "striker")));

    private static final String NAME = "[A-Z][a-z]+";
    private static final Pattern OPTION_LINE = Pattern.compile("\\([A-G]\\) (.+)");

    private final String family;
    private final int people;
    private final List<Scenario> scenarios;
    private final List<Parser> parsers;

    /**
     * @param people 3, 5 or 7
     * @param scenarioKeys the stories to draw from (books, dance, balls, gifts, soccer); empty means all
     */
    public TrackingShuffledObjectsGenerator(int people, List<String> scenarioKeys) {
        if (people != 3 && people != 5 && people != 7) {
            throw new InvalidInputException("family", "tracking shuffled objects exists for 3, 5 or 7 people, not " + people);
        }
        this.family = "tracking_shuffled_objects_" + Texts.NUMBER_WORDS.get(people) + "_objects";
        this.people = people;
        this.scenarios = Texts.select(SCENARIOS, scenarioKeys, Scenario::key);
        this.parsers = SCENARIOS.stream().map(Parser::new).toList();
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public int levels() {
        return people + 1;
    }

    @Override
    public int defaultLevel() {
        return people;
    }

    @Override
    public Example generate(int level, Random random) {
        if (level < 0 || level >= levels()) {
            throw new IllegalArgumentException("level " + level + " not in [0, " + levels() + ")");
        }
        Scenario s = scenarios.get(random.nextInt(scenarios.size()));
        List<String> names = NAMES.subList(0, people);
        List<String> objects = Texts.pick(s.pool(), people, random);
        var holds = new LinkedHashMap<String, String>();
        var holdings = new ArrayList<String>();
        for (int i = 0; i < people; i++) {
            holds.put(names.get(i), objects.get(i));
            holdings.add(s.holding().format(names.get(i), objects.get(i)));
        }
        var text = new SpanText();
        text.appendWithState(Texts.joinAnd(names) + " " + s.intro() + ": " + Texts.joinAnd(holdings) + ".", holds);
        text.append("\n").append(s.transition());
        // BBH never swaps the same pair twice in a row.
        String[] previous = null;
        for (String connector : connectors(level, random)) {
            String a;
            String b;
            do {
                a = names.get(random.nextInt(people));
                b = names.get(random.nextInt(people));
            } while (a.equals(b) || previous != null && (a.equals(previous[0]) && b.equals(previous[1])
                    || a.equals(previous[1]) && b.equals(previous[0])));
            previous = new String[] {a, b};
            String held = holds.get(a);
            holds.put(a, holds.get(b));
            holds.put(b, held);
            text.append(" ");
            text.appendWithState(connector + ", " + s.swap().format(a, b), holds);
        }
        String asked = names.get(random.nextInt(people));
        text.append(" ").append(s.question().format(asked)).append(Texts.options(objects));
        String target = Texts.letter(objects.indexOf(holds.get(asked)));
        return Generated.example(family, level, s.key(), text, target, objects);
    }

    /** The connectors of {@code k} swaps: an ordered subset of BBH's "First, Then, …, Finally". */
    private List<String> connectors(int k, Random random) {
        var all = new ArrayList<String>();
        all.add("First");
        for (int i = 0; i < people - 2; i++) {
            all.add("Then");
        }
        all.add("Finally");
        var keep = new boolean[people];
        for (int i : Texts.pick(java.util.stream.IntStream.range(0, people).boxed().toList(), k, random)) {
            keep[i] = true;
        }
        var out = new ArrayList<String>();
        for (int i = 0; i < people; i++) {
            if (keep[i]) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    @Override
    public Optional<String> solve(String input) {
        List<String> options = BbhFiles.options(input);
        int at = input.indexOf("\nOptions:\n");
        if (options.size() != people || at < 0) {
            return Optional.empty();
        }
        String[] lines = input.substring(0, at).split("\n", -1);
        if (lines.length != 2) {
            return Optional.empty();
        }
        for (Parser p : parsers) {
            var holds = p.opening(lines[0]);
            if (holds.isEmpty() || holds.get().size() != people) {
                continue;
            }
            Map<String, String> h = holds.get();
            Matcher m = p.story.matcher(lines[1]);
            if (!m.matches()) {
                return Optional.empty();
            }
            Matcher sw = p.swap.matcher(m.group(1));
            while (sw.find()) {
                String a = sw.group(2);
                String b = sw.group(3);
                if (!h.containsKey(a) || !h.containsKey(b)) {
                    return Optional.empty();
                }
                String t = h.get(a);
                h.put(a, h.get(b));
                h.put(b, t);
            }
            String answer = h.get(m.group(2));
            int index = answer == null ? -1 : options.indexOf(answer);
            return index < 0 ? Optional.empty() : Optional.of(Texts.letter(index));
        }
        return Optional.empty();
    }

    @Override
    public boolean parsesLine(String line) {
        if (line.equals("Options:")) {
            return true;
        }
        Matcher o = OPTION_LINE.matcher(line);
        if (o.matches()) {
            return SCENARIOS.stream().anyMatch(s -> s.pool().contains(o.group(1)));
        }
        for (Parser p : parsers) {
            if (p.opening(line).isPresent() || p.story.matcher(line).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Reads one scenario's sentences back, built from the same templates that write them. */
    private static final class Parser {
        final Pattern opening;
        final Pattern holding;
        final Pattern swap;
        final Pattern story;

        Parser(Scenario s) {
            String object = Texts.alternation(s.pool());
            opening = Pattern.compile("(" + NAME + "(?:, " + NAME + ")*, and " + NAME + ") "
                    + Pattern.quote(s.intro()) + ": (.*)\\.");
            holding = s.holding().pattern(NAME, object);
            String swapRegex = "(First|Then|Finally), " + s.swap().regex(NAME);
            swap = Pattern.compile("(?:^| )" + swapRegex);
            story = Pattern.compile(Pattern.quote(s.transition()) + "((?: (?:First|Then|Finally), "
                    + s.swap().regexWithoutGroups(NAME) + ")*) " + s.question().regex(NAME));
        }

        /** The starting holdings, if the line is this scenario's opening sentence over known names. */
        Optional<Map<String, String>> opening(String line) {
            Matcher m = opening.matcher(line);
            if (!m.matches()) {
                return Optional.empty();
            }
            String[] names = m.group(1).split(", (?:and )?");
            String[] holds = m.group(2).split(", (?:and )?");
            if (names.length != holds.length || names.length > NAMES.size()
                    || !List.of(names).equals(NAMES.subList(0, names.length))) {
                return Optional.empty();
            }
            var out = new LinkedHashMap<String, String>();
            for (int i = 0; i < names.length; i++) {
                Matcher h = holding.matcher(holds[i]);
                if (!h.matches() || !h.group(1).equals(names[i])) {
                    return Optional.empty();
                }
                out.put(names[i], h.group(2));
            }
            return Optional.of(out);
        }
    }
}
