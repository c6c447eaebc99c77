package dev.hir.core.plugin;

import dev.hir.api.PluginContext;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link PluginContext} of a run or command.
 *
 * @param seed the run's seed
 * @param baseDirectory where relative paths of the configuration resolve (the config file's folder)
 * @param runDirectory the run's output folder, if any
 * @param computeThreads the compute-thread budget of the whole process
 */
public record RunPluginContext(long seed, Path baseDirectory, Optional<Path> runDirectory, int computeThreads)
        implements PluginContext {
    public RunPluginContext {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(runDirectory, "runDirectory");
        if (computeThreads < 1) {
            throw new IllegalArgumentException("computeThreads must be >= 1");
        }
    }
}
