package dev.hir.core.feedback;

import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code test-regex}, a test-only component: the stripped output matches a required pattern entirely. */
public final class TestRegexFeedbackFactory implements FeedbackFactory<TestRegexFeedbackFactory.Config> {

    /** @param pattern the pattern (required) */
    public record Config(String pattern) {
        public Config {
            if (pattern == null) {
                throw new InvalidInputException("pattern", "missing: give the pattern outputs must match");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException("pattern", "not a regular expression: " + e.getDescription());
            }
        }
    }

    @Override
    public String name() {
        return "test-regex";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public FeedbackFunction create(Config config, PluginContext context) {
        Pattern p = Pattern.compile(config.pattern());
        return (example, output) -> {
            Objects.requireNonNull(example, "example");
            return p.matcher(output.strip()).matches()
                    ? Feedback.correct("matches " + p)
                    : Feedback.wrong(0.0, "does not match " + p);
        };
    }
}
