package dev.hir.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;

/**
 * {@code regex}: extracts the answer with the configured pattern (first match anywhere in the output; its
 * capture group, or the whole match) and compares it, trimmed, with the trimmed gold. No match, or an
 * empty answer, is {@link dev.hir.api.Feedback.Verdict#MALFORMED}. An output that is the gold answer
 * itself is correct even if the pattern does not match it. Score 1 or 0. No prefix check: a pattern's
 * language cannot in general be completed.
 */
public final class RegexFactory implements FeedbackFactory<RegexConfig> {

    @Override
    public String name() {
        return "regex";
    }

    @Override
    public String description() {
        return "answer extracted by a regular expression, compared with the gold";
    }

    @Override
    public Class<RegexConfig> configType() {
        return RegexConfig.class;
    }

    @Override
    public FeedbackFunction create(RegexConfig config, PluginContext context) {
        return new Regex(config);
    }
}
