package dev.hir.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code regex} feedback function; see {@link RegexFactory}. */
final class Regex implements FeedbackFunction {
    private final Pattern pattern;
    private final boolean ignoreCase;

    Regex(RegexConfig config) {
        this.pattern = config.compiledPattern();
        this.ignoreCase = config.ignoreCase();
    }

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        String gold = example.target().strip();
        // The bare gold answer counts even where the pattern expects a frame around it ("Answer: …").
        if (same(output.strip(), gold)) {
            return Feedback.correct("output is the answer " + Reasons.quote(gold));
        }
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            return Feedback.malformed("pattern " + Reasons.quote(pattern.pattern()) + " finds no answer");
        }
        String found = m.groupCount() == 0 ? m.group() : m.group(1);
        if (found == null || found.isBlank()) {
            return Feedback.malformed("pattern " + Reasons.quote(pattern.pattern()) + " finds an empty answer");
        }
        return same(found.strip(), gold)
                ? Feedback.correct("found the answer " + Reasons.quote(gold))
                : Feedback.wrong(0.0, Reasons.expectedGot(gold, found.strip()));
    }

    private boolean same(String answer, String gold) {
        return ignoreCase ? PythonText.lower(answer).equals(PythonText.lower(gold)) : answer.equals(gold);
    }
}
