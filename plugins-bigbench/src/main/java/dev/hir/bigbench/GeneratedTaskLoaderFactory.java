package dev.hir.bigbench;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.bigbench.generate.BigBenchGeneratorFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A BBH family trained on generated queries and evaluated on the real ones: the train split is
 * {@code count} examples from the family's generator, the test split the real BBH examples (all of them,
 * or the reference 20% test split). A generated input equal to a real one is dropped, so the model never
 * trains on a test query.
 */
public final class GeneratedTaskLoaderFactory implements TaskLoaderFactory<GeneratedTaskLoaderFactory.Config> {

    /**
     * @param family the BBH family, e.g. {@code tracking_shuffled_objects_three_objects}
     * @param level the generator's difficulty level; default (-1 or absent): the BBH setting
     * @param count the number of generated train examples, default 1000
     * @param seed the generator's seed, {@code >= 0}; default (-1 or absent): the run's seed
     * @param test {@code all} (default): every real example is a test example; {@code split}: only the
     *     reference code's 20% test split; {@code generated}: {@code testCount} generated examples of the
     *     same level, none equal to a training or a real input (a generated task, e.g. a curriculum level
     *     on which a base model is above chance but far from solved)
     * @param bbhDir the folder of the real BBH files; default: system property {@code bbh.dir}, else
     *     {@code ../shared/data/bbh}
     * @param testCount how many examples {@code test: generated} draws, default 250
     */
    public record Config(String family, Integer level, Integer count, Long seed, String test, String bbhDir,
            Integer testCount) {
        public Config {
            testCount = testCount == null ? 250 : testCount;
            if (testCount < 1) {
                throw new InvalidInputException("testCount", "must be >= 1, got " + testCount);
            }
            if (family == null || family.isBlank()) {
                throw new InvalidInputException("family", "is required, e.g. tracking_shuffled_objects_three_objects");
            }
            if (!new BigBenchGeneratorFactory().families().contains(family)) {
                throw new InvalidInputException("family", "no generator for '" + family + "', expected one of "
                        + new BigBenchGeneratorFactory().families());
            }
            level = level == null ? -1 : level;
            seed = seed == null ? -1L : seed;
            count = count == null ? 1000 : count;
            test = test == null ? "all" : test;
            bbhDir = bbhDir == null || bbhDir.isBlank() ? BbhFiles.defaultDirectory() : bbhDir;
            if (level < -1) {
                throw new InvalidInputException("level", "must be >= 0 (or -1 for the BBH setting), got " + level);
            }
            if (seed < -1) {
                throw new InvalidInputException("seed", "must be >= 0 (or -1 for the run's seed), got " + seed);
            }
            if (count < 0) {
                throw new InvalidInputException("count", "must be >= 0, got " + count);
            }
            if (!test.equals("all") && !test.equals("split") && !test.equals("generated")) {
                throw new InvalidInputException("test", "must be 'all', 'split' or 'generated', got '" + test + "'");
            }
        }

        /** The default configuration of one family. */
        public static Config of(String family) {
            return new Config(family, null, null, null, null, null, null);
        }
    }

    @Override
    public String name() {
        return "bigbench-generated";
    }

    @Override
    public String description() {
        return "a BBH family: generated train queries, real test queries";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    // No knownTasks(): its families are also bigbench-hard's task names, and `hir eval --task NAME`
    // means the real examples. Generated families are listed by the generator plugin.

    @Override
    public TaskLoader create(Config config, PluginContext context) {
        var generators = new BigBenchGeneratorFactory();
        ExampleGenerator g = generators.create(
                new BigBenchGeneratorFactory.Config(config.family(), null, null, config.bbhDir(), true), context);
        int level = config.level() < 0 ? g.defaultLevel() : config.level();
        if (level >= g.levels()) {
            throw new InvalidInputException("level", config.family() + " has levels 0.." + (g.levels() - 1) + ", not " + level);
        }
        long seed = config.seed() < 0 ? context.seed() : config.seed();
        Path file = context.resolve(config.bbhDir()).resolve(config.family() + ".json");
        return () -> load(config, g, level, seed, file);
    }

    private Task load(Config config, ExampleGenerator g, int level, long seed, Path file) {
        List<Example> real = BbhFiles.read(file, config.family());
        Set<String> realInputs = new HashSet<>();
        real.forEach(e -> realInputs.add(e.input()));
        var train = new ArrayList<Example>(config.count());
        Random random = new Random(seed);
        int dropped = 0;
        while (train.size() < config.count()) {
            Example e = g.generate(level, random);
            if (realInputs.contains(e.input())) {
                dropped++;
                continue;
            }
            // Content ids can repeat (small levels have few distinct examples); positions cannot.
            train.add(new Example("gen/" + config.family() + "/" + train.size(), e.input(), e.target(), e.options(),
                    e.metadata(), e.states()));
        }
        List<Example> test = switch (config.test()) {
            case "all" -> real;
            case "split" -> Splitter.split(config.family(), real, SplitMode.REFERENCE, 0.8, 1, Map.of()).test();
            default -> generatedTest(config, g, level, seed, train, realInputs);
        };
        var meta = new LinkedHashMap<String, String>();
        meta.put("loader", name());
        meta.put("source", file.toString());
        meta.put("generatorLevel", Integer.toString(level));
        meta.put("generatorSeed", Long.toString(seed));
        meta.put("test", config.test());
        meta.put("droppedAsReal", Integer.toString(dropped));
        return new Task(config.family(), train, test, meta);
    }

    /** Held-out generated examples: their own random stream, no input equal to a training or real one. */
    private static List<Example> generatedTest(Config config, ExampleGenerator g, int level, long seed,
            List<Example> train, Set<String> realInputs) {
        Set<String> seen = new HashSet<>(realInputs);
        train.forEach(e -> seen.add(e.input()));
        Random random = new Random(seed ^ 0x5DEECE66DL ^ 0x7E57L);
        var test = new ArrayList<Example>(config.testCount());
        for (int attempts = 0; test.size() < config.testCount(); attempts++) {
            if (attempts > 100 * config.testCount()) {
                throw new InvalidInputException("testCount", "level " + level + " of " + config.family()
                        + " has too few distinct examples for " + config.testCount() + " held-out ones");
            }
            Example e = g.generate(level, random);
            if (seen.add(e.input())) {
                test.add(new Example("gen-test/" + config.family() + "/" + test.size(), e.input(), e.target(),
                        e.options(), e.metadata(), e.states()));
            }
        }
        return test;
    }
}
