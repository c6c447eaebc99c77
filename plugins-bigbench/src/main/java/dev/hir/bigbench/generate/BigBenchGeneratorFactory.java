package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.GeneratorFactory;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.bigbench.BbhFiles;
import dev.hir.bigbench.families.DateUnderstandingGenerator;
import dev.hir.bigbench.families.GeometricShapesGenerator;
import dev.hir.bigbench.families.PenguinsInATableGenerator;
import dev.hir.bigbench.families.ReasoningAboutColoredObjectsGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Generators for the 12 BIG-Bench-Hard task families HIR is evaluated on, each imitating the real task's
 * surface format with a staircase of difficulty levels (see each generator's documentation). Tracking
 * shuffled objects, logical deduction, object counting and word sorting live in this package; the other
 * four in {@code dev.hir.bigbench.families}.
 */
public final class BigBenchGeneratorFactory implements GeneratorFactory<BigBenchGeneratorFactory.Config> {

    /** The family table: name → how to build its generator from a configuration. */
    private static final Map<String, BiFunction<Config, PluginContext, ExampleGenerator>> FAMILIES = familyTable();

    private static Map<String, BiFunction<Config, PluginContext, ExampleGenerator>> familyTable() {
        var m = new LinkedHashMap<String, BiFunction<Config, PluginContext, ExampleGenerator>>();
        for (int n : new int[] {3, 5, 7}) {
            String word = Texts.NUMBER_WORDS.get(n);
            m.put("tracking_shuffled_objects_" + word + "_objects",
                    (c, ctx) -> new TrackingShuffledObjectsGenerator(n, c.scenarios()));
            m.put("logical_deduction_" + word + "_objects", (c, ctx) -> new LogicalDeductionGenerator(n, c.scenarios()));
        }
        m.put("date_understanding", (c, ctx) -> new DateUnderstandingGenerator());
        m.put("object_counting", (c, ctx) -> new ObjectCountingGenerator());
        m.put("geometric_shapes", (c, ctx) -> new GeometricShapesGenerator());
        m.put("penguins_in_a_table", (c, ctx) -> new PenguinsInATableGenerator());
        m.put("reasoning_about_colored_objects", (c, ctx) -> new ReasoningAboutColoredObjectsGenerator());
        m.put("word_sorting", (c, ctx) -> new WordSortingGenerator(wordList(c, ctx)));
        return Map.copyOf(m);
    }

    private static final List<String> ORDER = List.of(
            "tracking_shuffled_objects_three_objects", "tracking_shuffled_objects_five_objects",
            "tracking_shuffled_objects_seven_objects", "logical_deduction_three_objects",
            "logical_deduction_five_objects", "logical_deduction_seven_objects", "date_understanding", "object_counting",
            "geometric_shapes", "penguins_in_a_table", "reasoning_about_colored_objects", "word_sorting");

    /**
     * @param family the task family, e.g. {@code tracking_shuffled_objects_three_objects}
     * @param scenarios for tracking shuffled objects and logical deduction: the stories to draw from
     *     (a template subset, e.g. {@code [books, dance]}); empty means all
     * @param wordList for word sorting: a BBH-style json whose inputs' words form the vocabulary, or a text
     *     file with one word per line; default: {@code <bbhDir>/word_sorting.json}
     * @param bbhDir the folder of the real BBH files; default: system property {@code bbh.dir}, else
     *     {@code ../shared/data/bbh}
     * @param excludeReal whether to draw again when a generated input equals a real one (default true;
     *     needs the family's file in {@code bbhDir})
     */
    public record Config(String family, List<String> scenarios, String wordList, String bbhDir, Boolean excludeReal) {
        public Config {
            if (family == null || family.isBlank()) {
                throw new InvalidInputException("family", "is required, one of " + ORDER);
            }
            if (!FAMILIES.containsKey(family)) {
                throw new InvalidInputException("family", "unknown family '" + family + "', expected one of " + ORDER);
            }
            scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
            if (!scenarios.isEmpty() && !family.startsWith("tracking_shuffled_objects")
                    && !family.startsWith("logical_deduction")) {
                throw new InvalidInputException("scenarios", "family " + family + " has no scenarios to choose from");
            }
            wordList = wordList == null ? "" : wordList;
            bbhDir = bbhDir == null || bbhDir.isBlank() ? BbhFiles.defaultDirectory() : bbhDir;
            excludeReal = excludeReal == null ? Boolean.TRUE : excludeReal;
        }

        /** The default configuration of a family. */
        public static Config of(String family) {
            return new Config(family, null, null, null, null);
        }
    }

    @Override
    public String name() {
        return "bigbench-generators";
    }

    @Override
    public String description() {
        return "unlimited seeded examples in the format of the BIG-Bench-Hard families, with difficulty levels";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<String> families() {
        return ORDER;
    }

    @Override
    public Config configFor(String family) {
        if (!FAMILIES.containsKey(family)) {
            throw new InvalidInputException("family", "unknown family '" + family + "', expected one of " + ORDER);
        }
        return Config.of(family);
    }

    @Override
    public ExampleGenerator create(Config config, PluginContext context) {
        ExampleGenerator g = FAMILIES.get(config.family()).apply(config, context);
        if (!config.excludeReal()) {
            return g;
        }
        Path real = context.resolve(config.bbhDir()).resolve(config.family() + ".json");
        if (!Files.isRegularFile(real)) {
            return g;
        }
        Set<String> inputs = new HashSet<>();
        for (Example e : BbhFiles.read(real, config.family())) {
            inputs.add(e.input());
        }
        return new LeakFreeGenerator(g, inputs);
    }

    /** The solver and templates behind a created generator, if it has them (for fidelity checks). */
    public static java.util.Optional<FaithfulGenerator> faithful(ExampleGenerator g) {
        ExampleGenerator inner = g instanceof LeakFreeGenerator l ? l.delegate() : g;
        return inner instanceof FaithfulGenerator f ? java.util.Optional.of(f) : java.util.Optional.empty();
    }

    private static List<String> wordList(Config c, PluginContext ctx) {
        Path file = c.wordList().isEmpty() ? ctx.resolve(c.bbhDir()).resolve("word_sorting.json") : ctx.resolve(c.wordList());
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("wordList", "no such file: " + file
                    + " (word sorting needs a vocabulary: a BBH word_sorting.json or one word per line)");
        }
        var words = new ArrayList<String>();
        if (file.getFileName().toString().endsWith(".json")) {
            for (Example e : BbhFiles.read(file, "word_sorting")) {
                String in = e.input();
                words.addAll(List.of(in.substring(in.indexOf("List: ") + "List: ".length()).split(" ")));
            }
        } else {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        words.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new InvalidInputException("wordList", "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return words;
    }
}
