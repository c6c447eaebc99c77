package dev.hir.core.cli;

import dev.hir.api.GeneratorFactory;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RegisteredPlugin;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code hir tasks}: the tasks the installed loaders know by name, and the generated task families. */
final class TasksCommand extends Command {
    @Override
    String name() {
        return "tasks";
    }

    @Override
    String summary() {
        return "list the tasks and generated task families that are installed";
    }

    @Override
    Options options() {
        return new Options();
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        PluginRegistry registry = PluginRegistry.discover();
        boolean any = false;
        for (RegisteredPlugin p : registry.list(PluginKind.TASK_LOADER)) {
            var names = ((TaskLoaderFactory<?>) p.factory()).knownTasks();
            if (names.isEmpty()) {
                out.println(p.name() + ": loads tasks from a configured source");
                continue;
            }
            out.println(p.name() + ":");
            names.forEach(n -> out.println("  " + n));
            any = true;
        }
        for (RegisteredPlugin p : registry.list(PluginKind.GENERATOR)) {
            out.println(p.name() + " (generated families):");
            ((GeneratorFactory<?>) p.factory()).families().forEach(f -> out.println("  " + f));
            any = true;
        }
        if (!any) {
            out.println("(no task plugins installed)");
        }
        return HirCli.OK;
    }
}
