package dev.hir.core.plugin;

import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.PluginFactory;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.config.PluginSpec;
import java.util.Objects;

/**
 * Creates plugin instances from configuration sections: finds the named factory, binds the section to
 * the factory's config record (strictly) and calls the factory.
 */
public final class PluginInstantiator {
    private final PluginRegistry registry;
    private final PluginContext context;

    public PluginInstantiator(PluginRegistry registry, PluginContext context) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Creates the plugin a section names.
     *
     * @param kind the kind of plugin the section must name
     * @param spec the section
     * @param field the section's path in the configuration, e.g. {@code "feedback"}
     * @param type what the instance must be (for capabilities such as {@code TrainablePolicy})
     */
    public <T> T create(PluginKind kind, PluginSpec spec, String field, Class<T> type) {
        PluginFactory<?, ?> factory = registry.factory(kind, spec.type(), field + ".type");
        Object instance = createWith(factory, spec, field);
        if (!type.isInstance(instance)) {
            if (instance instanceof AutoCloseable c) {
                closeQuietly(c);
            }
            throw new InvalidInputException(field + ".type", kind.label() + " plugin '" + spec.type()
                    + "' cannot be used here: it is not a " + type.getSimpleName());
        }
        return type.cast(instance);
    }

    /** Binds a section to a factory's config record. */
    public static <C extends Record> C bindConfig(PluginFactory<C, ?> factory, PluginSpec spec, String field) {
        return ConfigBinder.bind(spec.settings(), factory.configType(), field);
    }

    private <C extends Record, T> T createWith(PluginFactory<C, T> factory, PluginSpec spec, String field) {
        C config = bindConfig(factory, spec, field);
        return factory.create(config, context);
    }

    /** The registry instances come from. */
    public PluginRegistry registry() {
        return registry;
    }

    /** The context instances are created with. */
    public PluginContext context() {
        return context;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // The instance is unusable anyway; the configuration error is what the user needs to see.
        }
    }
}
