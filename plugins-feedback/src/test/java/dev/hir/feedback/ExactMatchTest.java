package dev.hir.feedback;

import static dev.hir.feedback.PrefixAssertions.assertCorrectWithEveryPrefixAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import dev.hir.testkit.FeedbackContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExactMatchTest extends FeedbackContract {
    private static final ExactMatchFactory FACTORY = new ExactMatchFactory();

    @Override
    protected FeedbackFactory<?> factory() {
        return FACTORY;
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create(ExactMatchConfig.defaults());
    }

    @Override
    protected List<Example> examples() {
        return List.of(
                Example.of("mc", "Which one?", "(B)"),
                Example.of("count", "How many?", "8"),
                Example.of("sort", "Sort: cherry apple banana", "apple banana cherry"),
                Example.of("greek", "Greek", "ΟΔΟΣ"));
    }

    @Override
    protected String wrongOutput(Example example) {
        return example.target() + "x";
    }

    private static FeedbackFunction create(ExactMatchConfig config) {
        return FACTORY.create(config, TestingPluginContext.create());
    }

    private static boolean judge(ExactMatchConfig config, String output, String gold) {
        return create(config).evaluate(Example.of("t", "q", gold), output).isCorrect();
    }

    /**
     * Each row: output, gold, what the reference evaluation script says (newlines dropped), what its
     * sampler and verifier say (newlines kept). Computed by running the PAPER.md §4 expressions in CPython.
     */
    static Stream<Arguments> pythonTable() {
        return Stream.of(
                Arguments.of("(B)", "(B)", true, true),
                Arguments.of("(b)", "(B)", true, true),
                Arguments.of(" (B) ", "(B)", true, true),
                Arguments.of("(B).", "(B)", true, true),
                Arguments.of("( B )", "(B)", true, true),
                Arguments.of("(B)\n", "(B)", true, false),
                Arguments.of("(B)\t", "(B)", false, false),
                Arguments.of("(B)\r\n", "(B)", false, false),
                Arguments.of("\u00a0(B)", "(B)", false, false),
                Arguments.of("(C)", "(B)", false, false),
                Arguments.of("B", "(B)", false, false),
                Arguments.of("", "(B)", false, false),
                Arguments.of("8", "8", true, true),
                Arguments.of("8.0", "8", false, false),
                Arguments.of("8.", "8", true, true),
                Arguments.of(".8", "8", true, true),
                Arguments.of("eight", "8", false, false),
                Arguments.of("apple banana cherry", "apple banana cherry", true, true),
                Arguments.of("applebanana cherry", "apple banana cherry", true, true),
                Arguments.of("apple\nbanana cherry", "apple banana cherry", true, false),
                Arguments.of("a b", "a\nb", true, true),
                Arguments.of("it&t", "IT&T", true, true),
                Arguments.of("ÄBC", "äbc", true, true),
                Arguments.of("straße", "STRASSE", false, false),
                Arguments.of("İ", "i\u0307", true, true),
                Arguments.of("İ", "i", false, false),
                Arguments.of("ΟΔΟΣ", "οδος", true, true),
                Arguments.of("Α1Σ", "α1σ", true, true),
                Arguments.of("Α.Σ", "α.ς", true, true),
                Arguments.of("ΑΣ Β", "ΑΣ Β", false, false),
                Arguments.of("Α Σ", "Α Σ", false, false),
                Arguments.of("Ǆ", "ǆ", true, true),
                Arguments.of("\u212A", "k", true, true),
                Arguments.of("", "", true, true));
    }

    @ParameterizedTest
    @MethodSource("pythonTable")
    void referenceNormalizationAgreesWithPythonBitForBit(String output, String gold, boolean evaluation, boolean sampler) {
        assertEquals(evaluation, judge(ExactMatchConfig.defaults(), output, gold), "evaluation rule");
        assertEquals(sampler, judge(new ExactMatchConfig(null, false, null), output, gold), "sampler rule");
    }

    @Test
    void goldWithSigmaBeforeRemovedSpaceFailsAgainstItselfAsInTheReference() {
        // The reference lowers the gold before dropping spaces and the output after, so "ΑΣ Β" gives
        // "αςβ" for the gold and "ασβ" for the same text as output. Kept, to stay bit for bit.
        assertFalse(judge(ExactMatchConfig.defaults(), "ΑΣ Β", "ΑΣ Β"));
        assertTrue(judge(ExactMatchConfig.defaults(), "ΑΣΒ", "ασβ"));
    }

    @Test
    void emptyOutputIsMalformedAndOtherOutputsWrong() {
        var f = createFeedback();
        Example e = Example.of("t", "q", "(B)");
        assertEquals(Feedback.Verdict.MALFORMED, f.evaluate(e, " . \n").verdict());
        Feedback wrong = f.evaluate(e, "(C)");
        assertEquals(Feedback.Verdict.WRONG, wrong.verdict());
        assertEquals(0.0, wrong.score());
        assertEquals("expected \"(B)\", got \"(C)\"", wrong.reason());
    }

    @Test
    void trimModeIgnoresOnlySurroundingWhitespaceAndCase() {
        var trim = new ExactMatchConfig("trim", null, null);
        assertTrue(judge(trim, "  Apple Banana\n", "apple banana"));
        assertFalse(judge(trim, "applebanana", "apple banana"));
        assertFalse(judge(trim, "apple banana.", "apple banana"));
        var trimCase = new ExactMatchConfig("TRIM", null, true);
        assertEquals("trim", trimCase.normalization());
        assertFalse(judge(trimCase, "Apple banana", "apple banana"));
        assertTrue(judge(trimCase, " apple banana ", "apple banana"));
    }

    @Test
    void caseSensitiveReferenceModeStillDropsSpacesAndPeriods() {
        var config = new ExactMatchConfig(null, null, true);
        assertTrue(judge(config, "( B ).", "(B)"));
        assertFalse(judge(config, "(b)", "(B)"));
    }

    @Test
    void configDefaultsAreTheEvaluationRule() {
        var c = ExactMatchConfig.defaults();
        assertEquals("reference", c.normalization());
        assertEquals(ExactMatchConfig.Normalization.REFERENCE, c.normalizationMode());
        assertTrue(c.newlineAsSpace());
        assertFalse(c.caseSensitive());
    }

    @Test
    void unknownNormalizationIsRejectedNamingTheField() {
        var e = assertThrows(InvalidInputException.class, () -> new ExactMatchConfig("fuzzy", null, null));
        assertEquals("normalization", e.source());
    }

    @Test
    void prefixCheckAcceptsPrefixesOfEveryCorrectSpelling() {
        var f = createFeedback();
        Example e = Example.of("t", "q", "apple banana cherry");
        for (String correct : List.of("Apple banana cherry.", " applebanana\ncherry", "APPLE. BANANA. CHERRY.")) {
            assertCorrectWithEveryPrefixAccepted(f, e, correct);
        }
        // Every prefix ending in Σ lowers to the final ς on its own but to σ inside the whole output.
        assertCorrectWithEveryPrefixAccepted(f, Example.of("g", "q", "ασα οδος"), "ΑΣΑΟΔΟΣ");
        assertCorrectWithEveryPrefixAccepted(f, Example.of("i", "q", "İi"), "İI");
    }

    @Test
    void prefixCheckRejectsOutputsThatHaveLeftTheGold() {
        var f = (PrefixFeedback) createFeedback();
        Example e = Example.of("t", "q", "apple banana cherry");
        assertFalse(f.isPrefixOfCorrect(e, "apple c"));
        assertFalse(f.isPrefixOfCorrect(e, "apple banana cherry x"));
        assertFalse(f.isPrefixOfCorrect(Example.of("b", "q", "(B)"), "(C"));
    }

    @Test
    void samplerRulePrefixCheckKeepsNewlines() {
        var f = (PrefixFeedback) create(new ExactMatchConfig(null, false, null));
        Example e = Example.of("t", "q", "apple banana");
        assertTrue(f.isPrefixOfCorrect(e, "apple "));
        assertFalse(f.isPrefixOfCorrect(e, "apple\n"));
    }

    @Test
    void trimModePrefixCheckAllowsTrailingWhitespaceOnly() {
        var f = create(new ExactMatchConfig("trim", null, null));
        Example e = Example.of("t", "q", "Apple banana");
        assertCorrectWithEveryPrefixAccepted(f, e, "  apple BANANA \n");
        assertFalse(((PrefixFeedback) f).isPrefixOfCorrect(e, "apple banana."));
    }
}
