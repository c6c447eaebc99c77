package dev.hir.api;

import java.util.List;

/**
 * Factory of a task loader, e.g. {@code bigbench-hard}.
 *
 * @param <C> the configuration record
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface TaskLoaderFactory<C extends Record> extends PluginFactory<C, TaskLoader> {

    /**
     * The task names this loader can load without further configuration than the name (for
     * {@code hir tasks} and {@code hir eval --task NAME}); empty if it loads only from a configured source.
     */
    default List<String> knownTasks() {
        return List.of();
    }

    /**
     * The configuration that loads one of {@link #knownTasks()}, for {@code hir eval --task NAME}.
     *
     * @throws InvalidInputException if the name is not one of {@link #knownTasks()}
     */
    default C configFor(String taskName) {
        throw new InvalidInputException("task", "loader " + name() + " knows no task named " + taskName);
    }
}
