package dev.hir.core.tasks;

import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RegisteredPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Finds the loader of a task given by name ({@code NAME} or {@code LOADER:NAME}), as `hir tasks` lists them. */
public final class TaskResolver {
    private final PluginRegistry registry;
    private final PluginContext context;

    public TaskResolver(PluginRegistry registry, PluginContext context) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * The loader of a named task.
     *
     * @param field where the name came from, for errors
     * @throws InvalidInputException if no loader, or more than one, knows the name
     */
    public TaskLoader loader(String name, String field) {
        String loaderName = null;
        String taskName = name;
        int colon = name.indexOf(':');
        if (colon > 0) {
            loaderName = name.substring(0, colon);
            taskName = name.substring(colon + 1);
        }
        var matches = new ArrayList<RegisteredPlugin>();
        var known = new ArrayList<String>();
        for (RegisteredPlugin p : registry.list(PluginKind.TASK_LOADER)) {
            List<String> names = ((TaskLoaderFactory<?>) p.factory()).knownTasks();
            names.forEach(n -> known.add(p.name() + ":" + n));
            if ((loaderName == null || loaderName.equals(p.name())) && names.contains(taskName)) {
                matches.add(p);
            }
        }
        if (matches.isEmpty()) {
            throw new InvalidInputException(field, "unknown task '" + name + "'"
                    + (known.isEmpty() ? "; no task loader with named tasks is installed" : "; known: " + String.join(", ", known)));
        }
        if (matches.size() > 1) {
            throw new InvalidInputException(field, "task '" + name + "' is known to several loaders ("
                    + matches.stream().map(RegisteredPlugin::name).toList() + "): write LOADER:" + taskName);
        }
        return create((TaskLoaderFactory<?>) matches.get(0).factory(), taskName);
    }

    /**
     * The task names of a comma-separated list, where {@code LOADER:all} stands for every task that loader
     * knows, and a bare {@code all} for every task of the only loader with named tasks.
     *
     * @throws InvalidInputException for an empty list, an unknown loader, or a bare {@code all} that is ambiguous
     */
    public List<String> expand(String list, String field) {
        var out = new ArrayList<String>();
        for (String item : list.split(",")) {
            String name = item.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.equals("all") && !name.endsWith(":all")) {
                out.add(name);
                continue;
            }
            var withNames = registry.list(PluginKind.TASK_LOADER).stream()
                    .filter(p -> !((TaskLoaderFactory<?>) p.factory()).knownTasks().isEmpty()).toList();
            RegisteredPlugin chosen;
            if (name.equals("all")) {
                if (withNames.size() != 1) {
                    throw new InvalidInputException(field, "'all' is ambiguous: write LOADER:all with LOADER one of "
                            + withNames.stream().map(RegisteredPlugin::name).toList());
                }
                chosen = withNames.get(0);
            } else {
                String loaderName = name.substring(0, name.length() - ":all".length());
                chosen = withNames.stream().filter(p -> p.name().equals(loaderName)).findFirst()
                        .orElseThrow(() -> new InvalidInputException(field, "no task loader '" + loaderName + "' with named tasks; known: "
                                + withNames.stream().map(RegisteredPlugin::name).toList()));
            }
            ((TaskLoaderFactory<?>) chosen.factory()).knownTasks().forEach(t -> out.add(chosen.name() + ":" + t));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(field, "no task named");
        }
        return out;
    }

    private <C extends Record> TaskLoader create(TaskLoaderFactory<C> factory, String taskName) {
        return factory.create(factory.configFor(taskName), context);
    }
}
