package dev.hir.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the core tells a factory when it creates a plugin instance.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PluginContext {

    /** The run's base seed; a plugin derives its own streams from it. */
    long seed();

    /** The folder relative paths in the plugin's configuration are resolved against. */
    Path baseDirectory();

    /** The run's output folder, when the plugin is created for a run. */
    Optional<Path> runDirectory();

    /**
     * How many compute threads the plugin may use. Native engines must not exceed it: several processes
     * each using every core slow each other down by 10–100× (oversubscription).
     */
    int computeThreads();

    /** Resolves a path from the plugin's configuration against {@link #baseDirectory()}. */
    default Path resolve(String path) {
        return baseDirectory().resolve(path).normalize();
    }
}
