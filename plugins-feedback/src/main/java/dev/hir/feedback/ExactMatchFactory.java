package dev.hir.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;

/**
 * {@code exact-match}: correct iff the output equals the gold answer under the HIR reference code's
 * normalization (spaces and periods dropped, lower case; PAPER.md §4), the metric the paper reports.
 * Score 1 or 0; an output that normalizes to nothing is malformed. Offers the prefix check.
 */
public final class ExactMatchFactory implements FeedbackFactory<ExactMatchConfig> {

    @Override
    public String name() {
        return "exact-match";
    }

    @Override
    public String description() {
        return "exact match after the reference normalization (spaces and periods dropped, lower case)";
    }

    @Override
    public Class<ExactMatchConfig> configType() {
        return ExactMatchConfig.class;
    }

    @Override
    public FeedbackFunction create(ExactMatchConfig config, PluginContext context) {
        return new ExactMatch(config);
    }
}
