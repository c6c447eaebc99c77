package dev.hir.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.PrefixFeedback;
import java.util.Objects;

/** The {@code exact-match} feedback function; see {@link ExactMatchFactory}. */
final class ExactMatch implements PrefixFeedback {
    private final ExactMatchConfig.Normalization mode;
    private final boolean newlineAsSpace;
    private final boolean lowerCase;

    ExactMatch(ExactMatchConfig config) {
        this.mode = config.normalizationMode();
        this.newlineAsSpace = config.newlineAsSpace();
        this.lowerCase = !config.caseSensitive();
    }

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        String gold = example.target();
        String normOutput;
        String normGold;
        if (mode == ExactMatchConfig.Normalization.REFERENCE) {
            normOutput = ReferenceNormalization.output(output, newlineAsSpace, lowerCase);
            normGold = ReferenceNormalization.gold(gold, lowerCase);
        } else {
            normOutput = lowerCase ? PythonText.lower(output.strip()) : output.strip();
            normGold = lowerCase ? PythonText.lower(gold.strip()) : gold.strip();
        }
        if (normOutput.equals(normGold)) {
            return Feedback.correct("matches " + Reasons.quote(gold));
        }
        if (normOutput.isEmpty()) {
            return Feedback.malformed("empty output, expected " + Reasons.quote(gold));
        }
        return Feedback.wrong(0.0, Reasons.expectedGot(gold, output.strip()));
    }

    @Override
    public boolean isPrefixOfCorrect(Example example, String partialOutput) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(partialOutput, "partialOutput");
        if (mode == ExactMatchConfig.Normalization.REFERENCE) {
            return ReferenceNormalization.isPrefixOfMatch(partialOutput, example.target(), newlineAsSpace, lowerCase);
        }
        String p = ReferenceNormalization.dropDanglingHighSurrogate(partialOutput.stripLeading());
        String g = example.target().strip();
        if (lowerCase) {
            p = PythonText.foldCase(p);
            g = PythonText.foldCase(g);
        }
        return g.startsWith(p) || (p.startsWith(g) && p.substring(g.length()).isBlank());
    }
}
