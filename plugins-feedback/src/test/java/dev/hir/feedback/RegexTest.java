package dev.hir.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.Feedback.Verdict;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import dev.hir.testkit.FeedbackContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegexTest extends FeedbackContract {
    private static final RegexFactory FACTORY = new RegexFactory();
    private static final String ANSWER_IS = "(?i)the answer is\\s*(\\S+?)\\.?$";

    @Override
    protected FeedbackFactory<?> factory() {
        return FACTORY;
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create(RegexConfig.of(ANSWER_IS));
    }

    @Override
    protected List<Example> examples() {
        return List.of(Example.of("r/1", "q", "(B)"), Example.of("r/2", "q", "42"));
    }

    @Override
    protected String wrongOutput(Example example) {
        return "The answer is (Z).";
    }

    private static FeedbackFunction create(RegexConfig config) {
        return FACTORY.create(config, TestingPluginContext.create());
    }

    @Test
    void regexExtractsTheCaptureGroupAndComparesItWithTheGold() {
        var f = createFeedback();
        var e = Example.of("t", "q", "42");
        assertTrue(f.evaluate(e, "Let me think. 6 times 7. The answer is 42.").isCorrect());
        Feedback wrong = f.evaluate(e, "the answer is 41");
        assertEquals(Verdict.WRONG, wrong.verdict());
        assertEquals("expected \"42\", got \"41\"", wrong.reason());
    }

    @Test
    void noMatchOrAnEmptyAnswerIsMalformed() {
        var e = Example.of("t", "q", "42");
        assertEquals(Verdict.MALFORMED, createFeedback().evaluate(e, "I think 42").verdict());
        var f = create(RegexConfig.of("Answer:(.*)"));
        assertEquals(Verdict.MALFORMED, f.evaluate(e, "Answer:   ").verdict());
        assertTrue(f.evaluate(e, "Answer: 42 ").isCorrect());
    }

    @Test
    void withoutAGroupTheWholeMatchIsTheAnswer() {
        var f = create(RegexConfig.of("\\([A-Z]\\)"));
        var e = Example.of("t", "q", "(C)");
        assertTrue(f.evaluate(e, "I pick (C) because").isCorrect());
        assertEquals(Verdict.WRONG, f.evaluate(e, "(A) and then (C)").verdict());
    }

    @Test
    void theBareGoldAnswerIsCorrectEvenWhereThePatternWantsAFrame() {
        assertTrue(createFeedback().evaluate(Example.of("t", "q", "42"), " 42\n").isCorrect());
    }

    @Test
    void comparisonIgnoresCaseOnlyWhenConfigured() {
        var e = Example.of("t", "q", "Paris");
        var exact = create(RegexConfig.of("city: (\\w+)"));
        assertEquals(Verdict.WRONG, exact.evaluate(e, "city: paris").verdict());
        var loose = create(new RegexConfig("city: (\\w+)", true));
        assertTrue(loose.evaluate(e, "city: paris").isCorrect());
        assertFalse(RegexConfig.of("x").ignoreCase());
    }

    @Test
    void invalidPatternIsRejectedNamingTheField() {
        var e = assertThrows(InvalidInputException.class, () -> RegexConfig.of("answer: ([A-Z"));
        assertEquals("pattern", e.source());
        assertFalse(e.getMessage().contains("\n"), "one-line message");
        assertEquals("pattern", assertThrows(InvalidInputException.class, () -> new RegexConfig(null, null)).source());
        assertEquals("pattern", assertThrows(InvalidInputException.class, () -> RegexConfig.of("(a)(b)")).source());
        RegexConfig.of("(?:a|b)(c)"); // non-capturing groups are fine
    }

    @Test
    void regexOffersNoPrefixCheck() {
        assertFalse(createFeedback() instanceof PrefixFeedback);
    }
}
