package dev.hir.core.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;
import dev.hir.api.PrefixFeedback;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code test-exact}, a test-only component: the stripped output equals the gold (optionally ignoring
 * case); a blank output is malformed; beginnings of the gold are accepted.
 */
public final class TestExactFeedbackFactory implements FeedbackFactory<TestExactFeedbackFactory.Config> {

    /** @param ignoreCase compare case-insensitively (default false) */
    public record Config(Boolean ignoreCase) {
        public Config {
            ignoreCase = ignoreCase != null && ignoreCase;
        }
    }

    @Override
    public String name() {
        return "test-exact";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public FeedbackFunction create(Config config, PluginContext context) {
        boolean ignoreCase = config.ignoreCase();
        return new PrefixFeedback() {
            @Override
            public Feedback evaluate(Example example, String output) {
                Objects.requireNonNull(example, "example");
                String out = normalize(output.strip(), ignoreCase);
                if (out.isEmpty()) {
                    return Feedback.malformed("blank output");
                }
                return out.equals(normalize(example.target(), ignoreCase))
                        ? Feedback.correct("equals the gold")
                        : Feedback.wrong(0.0, "expected " + example.target() + ", got " + out);
            }

            @Override
            public boolean isPrefixOfCorrect(Example example, String partialOutput) {
                return normalize(example.target(), ignoreCase).startsWith(normalize(partialOutput.stripLeading(), ignoreCase));
            }
        };
    }

    private static String normalize(String s, boolean ignoreCase) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }
}
