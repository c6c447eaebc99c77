package dev.hir.testkit;

import dev.hir.api.PluginContext;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PluginContext} for tests: a seed, a base folder, no run folder and one compute thread (so
 * tests running beside each other never oversubscribe the cores).
 *
 * @param seed the seed
 * @param baseDirectory where relative paths resolve
 */
public record TestingPluginContext(long seed, Path baseDirectory) implements PluginContext {
    public TestingPluginContext {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /** Seed 0, the current directory. */
    public static TestingPluginContext create() {
        return new TestingPluginContext(0L, Path.of("").toAbsolutePath());
    }

    @Override
    public Optional<Path> runDirectory() {
        return Optional.empty();
    }

    @Override
    public int computeThreads() {
        return 1;
    }
}
