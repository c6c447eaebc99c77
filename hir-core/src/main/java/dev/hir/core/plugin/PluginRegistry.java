package dev.hir.core.plugin;

import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin factory on the class path, by kind and name. The core never names a plugin class: a jar
 * on the class path that lists a factory in {@code META-INF/services} is a plugin.
 *
 * <p>Two factories of one kind with the same name are an error (which one would a config get?); the same
 * class found twice (a jar on the class path twice) is registered once.
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final Map<PluginKind, Map<String, RegisteredPlugin>> plugins;

    private PluginRegistry(Map<PluginKind, Map<String, RegisteredPlugin>> plugins) {
        this.plugins = plugins;
    }

    /** Discovers the factories visible to the given class loader. */
    public static PluginRegistry discover(ClassLoader loader) {
        var found = new ArrayList<PluginFactory<?, ?>>();
        for (PluginKind kind : PluginKind.values()) {
            try {
                ServiceLoader.load(kind.factoryType(), loader).forEach(found::add);
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("a " + kind.label() + " plugin could not be loaded: " + e.getMessage(), e);
            }
        }
        return of(found);
    }

    /** Discovers the factories visible to this class's loader. */
    public static PluginRegistry discover() {
        return discover(PluginRegistry.class.getClassLoader());
    }

    /** A registry of the given factories (each registered under every kind it implements). */
    public static PluginRegistry of(Collection<? extends PluginFactory<?, ?>> factories) {
        var byKind = new EnumMap<PluginKind, Map<String, RegisteredPlugin>>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        for (PluginFactory<?, ?> f : factories) {
            for (PluginKind kind : PluginKind.values()) {
                if (!kind.factoryType().isInstance(f)) {
                    continue;
                }
                Map<String, RegisteredPlugin> named = byKind.get(kind);
                RegisteredPlugin existing = named.get(f.name());
                if (existing != null) {
                    if (existing.factory().getClass().equals(f.getClass())) {
                        continue;
                    }
                    throw new IllegalStateException("two " + kind.label() + " plugins are named '" + f.name() + "': "
                            + existing.factory().getClass().getName() + " (" + existing.source() + ") and "
                            + f.getClass().getName() + " (" + sourceOf(f.getClass()) + ")");
                }
                var reg = new RegisteredPlugin(kind, f, sourceOf(f.getClass()), versionOf(f.getClass()));
                named.put(f.name(), reg);
                LOG.info("Registered {} plugin '{}' ({}) from {}", kind.label(), f.name(), f.getClass().getName(), reg.source());
            }
        }
        byKind.replaceAll((k, v) -> java.util.Collections.unmodifiableMap(v));
        return new PluginRegistry(byKind);
    }

    /** The plugins of one kind, sorted by name. */
    public List<RegisteredPlugin> list(PluginKind kind) {
        return List.copyOf(plugins.get(kind).values());
    }

    /** The plugin of a kind by name, if installed. */
    public Optional<RegisteredPlugin> find(PluginKind kind, String name) {
        return Optional.ofNullable(plugins.get(kind).get(name));
    }

    /**
     * The factory of a kind by name.
     *
     * @param field the configuration field that named it, for the error
     * @throws InvalidInputException naming the field and the installed names if there is none
     */
    public <F extends PluginFactory<?, ?>> F factory(PluginKind kind, String name, String field) {
        RegisteredPlugin p = plugins.get(kind).get(name);
        if (p == null) {
            throw new InvalidInputException(field, "unknown " + kind.label() + " plugin '" + name + "'; installed: "
                    + String.join(", ", plugins.get(kind).keySet()));
        }
        @SuppressWarnings("unchecked")
        F f = (F) p.factory();
        return f;
    }

    private static String sourceOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "unknown";
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            return p.getFileName() == null ? p.toString() : p.getFileName().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return cs.getLocation().toString();
        }
    }

    private static String versionOf(Class<?> type) {
        Package p = type.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
