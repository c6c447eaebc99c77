package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.PluginFactory;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/** Checks every factory of every kind must pass; used by the contract suites. */
public final class PluginFactoryChecks {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private PluginFactoryChecks() {}

    /** The name is well formed and the config type is a record. */
    public static void checkShape(PluginFactory<?, ?> factory) {
        assertTrue(NAME.matcher(factory.name()).matches(),
                () -> "factory name must match " + NAME + ": '" + factory.name() + "'");
        assertTrue(factory.configType().isRecord(),
                () -> factory.configType() + " must be a record");
        assertDoesNotThrow(() -> factory.getClass().getConstructor(),
                () -> factory.getClass() + " needs a public no-argument constructor for ServiceLoader");
    }

    /** The factory is listed in {@code META-INF/services} of its kind, so the core can find it. */
    public static <F extends PluginFactory<?, ?>> void checkDiscoverable(Class<F> kind, PluginFactory<?, ?> factory) {
        boolean found = ServiceLoader.load(kind).stream()
                .anyMatch(p -> p.type().equals(factory.getClass()));
        assertTrue(found, () -> factory.getClass().getName() + " is not listed in META-INF/services/" + kind.getName());
    }
}
