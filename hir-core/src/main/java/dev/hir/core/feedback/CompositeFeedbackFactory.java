package dev.hir.core.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;
import dev.hir.api.PluginFactory;
import java.util.ArrayList;

/**
 * {@code composite}: combines other feedback plugins by name. The score is the weighted mean of the
 * components' scores (weights normalized); the verdict is malformed if {@code malformed_when} says so
 * (checked first, score 0), else correct by {@code correct_when}, else wrong. Every component's score is
 * reported in {@link dev.hir.api.Feedback#components()} under its name (a nested composite's components
 * as {@code outer.inner}), and the reason lists every component's verdict, score and reason. The
 * function offers the prefix check sub-output relabeling uses ({@link dev.hir.api.PrefixFeedback}) when
 * {@code correct_when} is {@code all} and every component offers it; a beginning is then accepted iff
 * every component accepts it. See {@link CompositeFeedbackConfig} for the keys.
 */
public final class CompositeFeedbackFactory implements FeedbackFactory<CompositeFeedbackConfig> {

    @Override
    public String name() {
        return "composite";
    }

    @Override
    public String description() {
        return "weighted combination of other feedback plugins, each component's score reported";
    }

    @Override
    public Class<CompositeFeedbackConfig> configType() {
        return CompositeFeedbackConfig.class;
    }

    @Override
    public FeedbackFunction create(CompositeFeedbackConfig config, PluginContext context) {
        var bound = ComponentSpecs.bind(config.components());
        double total = bound.stream().mapToDouble(ComponentSpecs.Bound::weight).sum();
        var components = new ArrayList<CompositeFeedback.Component>(bound.size());
        try {
            for (var b : bound) {
                components.add(new CompositeFeedback.Component(b.name(), b.weight() / total, createWith(b.factory(), b.config(), context)));
            }
        } catch (RuntimeException e) {
            for (var c : components) {
                closeQuietly(c.function(), e);
            }
            throw e;
        }
        return CompositeFeedback.of(components, config.correctWhen(), config.threshold(), config.malformedWhen());
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> FeedbackFunction createWith(PluginFactory<C, FeedbackFunction> factory,
            Record config, PluginContext context) {
        // The registry bound this record from the same factory's configType().
        return factory.create((C) config, context);
    }

    private static void closeQuietly(FeedbackFunction f, RuntimeException failure) {
        if (f instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
