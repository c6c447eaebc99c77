package dev.hir.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;

/**
 * {@code numeric}: compares the number an output states with the gold number. Reads digits ({@code 8},
 * {@code -3}, {@code +8}, {@code 1,024}, {@code 8.0}) and English words ({@code eight}, {@code Eight.},
 * {@code twenty-one}, {@code one hundred and five}, {@code minus three}); surrounding spaces and trailing
 * periods are ignored. Anything else is {@link dev.hir.api.Feedback.Verdict#MALFORMED}; another number is
 * wrong with score 0. Whatever the reference exact match accepts is correct too. Offers the prefix check.
 */
public final class NumericFactory implements FeedbackFactory<NumericConfig> {

    @Override
    public String name() {
        return "numeric";
    }

    @Override
    public String description() {
        return "a number in digits or English words compared with the gold number";
    }

    @Override
    public Class<NumericConfig> configType() {
        return NumericConfig.class;
    }

    @Override
    public FeedbackFunction create(NumericConfig config, PluginContext context) {
        return new Numeric(config);
    }
}
