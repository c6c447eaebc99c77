package dev.hir.core.plugin;

import dev.hir.api.PluginFactory;
import java.util.Objects;

/**
 * A discovered factory and where it came from.
 *
 * @param kind the plugin kind
 * @param factory the factory instance
 * @param source the jar or class folder the factory class was loaded from
 * @param version the implementation version in the jar's manifest, or {@code "unknown"}
 */
public record RegisteredPlugin(PluginKind kind, PluginFactory<?, ?> factory, String source, String version) {
    public RegisteredPlugin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
    }

    /** The plugin's name. */
    public String name() {
        return factory.name();
    }
}
