package dev.hir.core.cli;

import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RegisteredPlugin;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code hir plugins}: every installed plugin by kind, with its class, jar and version. */
final class PluginsCommand extends Command {
    @Override
    String name() {
        return "plugins";
    }

    @Override
    String summary() {
        return "list the installed plugins by kind";
    }

    @Override
    Options options() {
        return new Options();
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        PluginRegistry registry = PluginRegistry.discover();
        for (PluginKind kind : PluginKind.values()) {
            out.println(kind.label() + ":");
            var plugins = registry.list(kind);
            if (plugins.isEmpty()) {
                out.println("  (none)");
            }
            for (RegisteredPlugin p : plugins) {
                String description = p.factory().description();
                out.printf("  %-22s %s%n", p.name(), description.isEmpty() ? "" : description);
                out.printf("  %-22s %s from %s (version %s)%n", "", p.factory().getClass().getName(), p.source(), p.version());
            }
        }
        return HirCli.OK;
    }
}
