package dev.hir.core.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;
import dev.hir.api.PrefixFeedback;
import java.util.Objects;

/**
 * {@code test-overlap}, a test-only graded component: the share of the gold's characters the stripped
 * output has at the same position; correct iff equal.
 */
public final class TestOverlapFeedbackFactory implements FeedbackFactory<TestOverlapFeedbackFactory.Config> {

    /** No settings. */
    public record Config() {}

    @Override
    public String name() {
        return "test-overlap";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public FeedbackFunction create(Config config, PluginContext context) {
        return new PrefixFeedback() {
            @Override
            public Feedback evaluate(Example example, String output) {
                String gold = Objects.requireNonNull(example, "example").target();
                String out = output.strip();
                if (out.equals(gold)) {
                    return Feedback.correct("all " + gold.length() + " characters");
                }
                int same = 0;
                for (int i = 0; i < Math.min(gold.length(), out.length()); i++) {
                    same += gold.charAt(i) == out.charAt(i) ? 1 : 0;
                }
                double score = gold.isEmpty() ? 0.0 : Math.min(same, gold.length() - 1) / (double) gold.length();
                return Feedback.wrong(score, same + " of " + gold.length() + " characters");
            }

            @Override
            public boolean isPrefixOfCorrect(Example example, String partialOutput) {
                return example.target().startsWith(partialOutput.stripLeading());
            }
        };
    }
}
