package dev.hir.bigbench;

import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a BIG-Bench-Hard task ({@code <dir>/<task>.json}, examples with {@code input} and
 * {@code target}); multiple-choice inputs already end with their {@code Options:} lines, which become
 * {@link dev.hir.api.Example#options()}. Split as the reference code splits BIG-bench tasks.
 */
public final class BigBenchHardLoaderFactory implements TaskLoaderFactory<BigBenchHardLoaderFactory.Config> {

    /**
     * @param task the task (file name without {@code .json}), e.g. {@code word_sorting}
     * @param dir the folder of the BBH files; default: system property {@code bbh.dir}, else
     *     {@code ../shared/data/bbh}
     * @param split {@code reference} (default), {@code run-seed} or {@code all-test}
     * @param trainShare the share of examples in train, default 0.8
     * @param splitSeed the permutation seed of the {@code reference} split, default 1
     */
    public record Config(String task, String dir, String split, Double trainShare, Long splitSeed) {
        public Config {
            if (task == null || task.isBlank()) {
                throw new InvalidInputException("task", "is required, e.g. word_sorting");
            }
            if (!task.matches("[A-Za-z0-9_.-]+")) {
                throw new InvalidInputException("task", "is not a plain file name: " + task);
            }
            dir = dir == null || dir.isBlank() ? BbhFiles.defaultDirectory() : dir;
            split = split == null ? SplitMode.REFERENCE.configName() : split;
            trainShare = trainShare == null ? 0.8 : trainShare;
            splitSeed = splitSeed == null ? 1L : splitSeed;
            Splitter.validate(split, trainShare, splitSeed);
        }

        /** The default configuration of one task. */
        public static Config of(String task) {
            return new Config(task, null, null, null, null);
        }
    }

    @Override
    public String name() {
        return "bigbench-hard";
    }

    @Override
    public String description() {
        return "a BIG-Bench-Hard task by name, split 80/20 as the HIR reference code does";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<String> knownTasks() {
        return BbhFiles.taskNames(Path.of(BbhFiles.defaultDirectory()));
    }

    @Override
    public Config configFor(String taskName) {
        if (!knownTasks().contains(taskName)) {
            throw new InvalidInputException("task", "loader " + name() + " knows no task named " + taskName
                    + " (looked in " + BbhFiles.defaultDirectory() + ")");
        }
        return Config.of(taskName);
    }

    @Override
    public TaskLoader create(Config config, PluginContext context) {
        Path file = context.resolve(config.dir()).resolve(config.task() + ".json");
        SplitMode mode = SplitMode.parse("split", config.split());
        long seed = mode == SplitMode.RUN_SEED ? context.seed() : config.splitSeed();
        return () -> Splitter.split(config.task(), BbhFiles.read(file, config.task()), mode, config.trainShare(), seed,
                Map.of("source", file.toString(), "loader", name()));
    }
}
