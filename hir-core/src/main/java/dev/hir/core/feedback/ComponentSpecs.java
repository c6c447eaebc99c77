package dev.hir.core.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.InvalidInputException;
import dev.hir.core.config.PluginSpec;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code components} of a composite feedback: the composite's own keys ({@code weight},
 * {@code name}) are taken out of each section and the rest is bound, strictly, to the named feedback
 * plugin's configuration record.
 */
final class ComponentSpecs {
    static final String WEIGHT = "weight";
    static final String NAME = "name";
    private static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private ComponentSpecs() {}

    /**
     * One bound component.
     *
     * @param name its name in reasons and in {@link dev.hir.api.Feedback#components()}
     * @param weight its non-negative weight, not yet normalized
     * @param factory the feedback plugin
     * @param config its bound configuration
     */
    record Bound(String name, double weight, FeedbackFactory<?> factory, Record config) {}

    /** Checks and binds every component; errors name {@code components[i].field}. */
    static List<Bound> bind(List<PluginSpec> components) {
        if (components.isEmpty()) {
            throw new InvalidInputException("components", "needs at least one component, e.g. [{type: exact-match}]");
        }
        PluginRegistry registry = registry();
        var bound = new ArrayList<Bound>(components.size());
        var names = new HashMap<String, Integer>();
        double total = 0.0;
        for (int i = 0; i < components.size(); i++) {
            String field = "components[" + i + "]";
            PluginSpec spec = components.get(i);
            if (spec == null) {
                throw new InvalidInputException(field, "is empty; write a section such as {type: exact-match, weight: 1}");
            }
            double weight = weight(spec.settings().get(WEIGHT), field + "." + WEIGHT);
            String name = name(spec, field + "." + NAME);
            Integer earlier = names.putIfAbsent(name, i);
            if (earlier != null) {
                throw new InvalidInputException(field + "." + NAME, "components[" + earlier + "] is also named '" + name
                        + "'; give each component a distinct name");
            }
            ObjectNode own = spec.settings().deepCopy();
            own.remove(WEIGHT);
            own.remove(NAME);
            FeedbackFactory<?> factory = registry.factory(PluginKind.FEEDBACK, spec.type(), field + ".type");
            Record config;
            try {
                config = PluginInstantiator.bindConfig(factory, new PluginSpec(spec.type(), own), field);
            } catch (InvalidInputException e) {
                if (e.source().equals(field) && e.getMessage().startsWith("unknown key")) {
                    throw new InvalidInputException(field, e.getMessage() + " (plus the composite's " + WEIGHT + ", " + NAME + ")", e);
                }
                throw e;
            }
            bound.add(new Bound(name, weight, factory, config));
            total += weight;
        }
        if (!(total > 0.0)) {
            throw new InvalidInputException("components", "the weights sum to 0; give at least one component a positive weight");
        }
        return List.copyOf(bound);
    }

    private static double weight(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return 1.0;
        }
        if (!node.isNumber()) {
            throw new InvalidInputException(field, "expected a number, got " + node);
        }
        double w = node.asDouble();
        if (!(w >= 0.0) || Double.isInfinite(w)) {
            throw new InvalidInputException(field, "must be a finite number >= 0, got " + node);
        }
        return w;
    }

    private static String name(PluginSpec spec, String field) {
        JsonNode node = spec.settings().get(NAME);
        if (node == null || node.isNull()) {
            return spec.type();
        }
        if (!node.isTextual() || !NAME_PATTERN.matcher(node.asText()).matches()) {
            throw new InvalidInputException(field, "must match " + NAME_PATTERN + " (it names a metrics column), got " + node);
        }
        return node.asText();
    }

    /**
     * The feedback plugins a component may name: those visible to the thread's context class loader, so
     * plugin jars the core loads through their own loader are found too.
     */
    private static PluginRegistry registry() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = PluginRegistry.class.getClassLoader();
        return context == null || context == own ? OwnLoader.REGISTRY : PluginRegistry.discover(context);
    }

    /** Discovered once: binding a composite config and creating it both need the registry. */
    private static final class OwnLoader {
        static final PluginRegistry REGISTRY = PluginRegistry.discover();
    }
}
