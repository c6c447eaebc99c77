package dev.hir.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;

/**
 * {@code multiple-choice}: reads which option an output names and compares it with the gold letter.
 *
 * <p>Accepted forms of option B: {@code (B)}, {@code B}, {@code B)}, {@code (B}, lower case, inner
 * spaces and trailing periods; {@code (B) text} or {@code B) text} where the text is option B's own; and
 * option B's text alone. Anything that names no option (another text, a letter past the last option, a
 * letter with another option's text) is {@link dev.hir.api.Feedback.Verdict#MALFORMED}, counted apart
 * from a wrong option. Whatever the reference exact match accepts is correct too. Options come from
 * {@link dev.hir.api.Example#options()}, or else from the {@code "(A) …"} lines of the input. The gold
 * target is a letter such as {@code "(B)"} or an option's text. Score 1 or 0. Offers the prefix check.
 */
public final class MultipleChoiceFactory implements FeedbackFactory<MultipleChoiceConfig> {

    @Override
    public String name() {
        return "multiple-choice";
    }

    @Override
    public String description() {
        return "option letter or option text, malformed answers counted apart from wrong ones";
    }

    @Override
    public Class<MultipleChoiceConfig> configType() {
        return MultipleChoiceConfig.class;
    }

    @Override
    public FeedbackFunction create(MultipleChoiceConfig config, PluginContext context) {
        return new MultipleChoice(config);
    }
}
