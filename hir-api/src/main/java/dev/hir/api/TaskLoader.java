package dev.hir.api;

/**
 * Reads a task from a source: a file, a folder, a generator.
 *
 * <p>Contract: {@link #load()} is deterministic for a given configuration and seed (same examples, same
 * order, same split). A source that cannot be read or parsed is reported with
 * {@link InvalidInputException} naming the file and, where it applies, the line or field. Loaders are
 * used from one thread.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface TaskLoader {
    /** Loads the task. */
    Task load();
}
