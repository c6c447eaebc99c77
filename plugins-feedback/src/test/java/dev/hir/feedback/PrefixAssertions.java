package dev.hir.feedback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;

/** Checks of the {@link PrefixFeedback} contract on outputs other than the gold itself. */
final class PrefixAssertions {
    private PrefixAssertions() {}

    /** The output is judged correct and every prefix of it (at every char index) is accepted. */
    static void assertCorrectWithEveryPrefixAccepted(FeedbackFunction f, Example e, String correctOutput) {
        assertTrue(f.evaluate(e, correctOutput).isCorrect(),
                () -> "expected correct: '" + correctOutput + "' for " + e.target() + ", got " + f.evaluate(e, correctOutput));
        var pf = (PrefixFeedback) f;
        for (int i = 0; i <= correctOutput.length(); i++) {
            String prefix = correctOutput.substring(0, i);
            assertTrue(pf.isPrefixOfCorrect(e, prefix),
                    () -> "prefix '" + prefix + "' of correct output '" + correctOutput + "' rejected");
        }
    }
}
