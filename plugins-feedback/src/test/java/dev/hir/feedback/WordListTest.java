package dev.hir.feedback;

import static dev.hir.feedback.PrefixAssertions.assertCorrectWithEveryPrefixAccepted;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WordListTest extends FeedbackContract {
    private static final WordListFactory FACTORY = new WordListFactory();
    private static final Example FRUIT =
            Example.of("ws/1", "Sort the following words alphabetically: List: cherry apple banana", "apple banana cherry");

    @Override
    protected FeedbackFactory<?> factory() {
        return FACTORY;
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create(WordListConfig.defaults());
    }

    @Override
    protected List<Example> examples() {
        return List.of(FRUIT, Example.of("ws/2", "q", "it&t o'connell you've"), Example.of("ws/3", "q", "single"),
                Example.of("ws/4", "q", "etc. and so on."));
    }

    @Override
    protected String wrongOutput(Example example) {
        return "zebra " + example.target();
    }

    private static FeedbackFunction create(WordListConfig config) {
        return FACTORY.create(config, TestingPluginContext.create());
    }

    private Feedback judge(String output) {
        return createFeedback().evaluate(FRUIT, output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"apple banana cherry", "Apple Banana CHERRY", "  apple\tbanana\n cherry  ", "apple banana cherry.",
        "apple banana cherry ."})
    void wordListAcceptsTheSameSequenceUpToCaseSpacingAndFinalPeriod(String output) {
        assertTrue(judge(output).isCorrect(), output);
        assertEquals(1.0, judge(output).score());
    }

    /** Score = positions holding the gold word / max(gold words, output words). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "apple cherry banana|1|3",
        "banana apple cherry|1|3",
        "cherry banana apple|1|3",
        "apple banana|2|3",
        "apple banana cherry date|3|4",
        "apple|1|3",
        "banana cherry|0|3",
        "zebra banana cherry durian egg fig|2|6",
        "applebanana cherry|0|3",
        "apple, banana, cherry|1|3",
    })
    void wrongSequencesScoreTheShareOfPositionsRight(String output, int right, int compared) {
        Feedback fb = judge(output);
        assertEquals(Verdict.WRONG, fb.verdict(), output);
        assertEquals((double) right / compared, fb.score(), 1e-12, output);
        assertTrue(fb.reason().startsWith(right + " of " + compared + " positions right"), fb.reason());
    }

    @Test
    void reasonPointsAtTheFirstWrongWordOrTheLengths() {
        assertEquals("1 of 3 positions right; word 2: expected \"banana\", got \"cherry\"",
                judge("apple cherry banana").reason());
        assertEquals("2 of 3 positions right; expected 3 words, got 2", judge("apple banana").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n", " . ", "..."})
    void noWordsIsMalformed(String output) {
        assertEquals(Verdict.MALFORMED, judge(output).verdict());
    }

    @Test
    void caseSensitivityCanBeTurnedOn() {
        var f = create(new WordListConfig(true));
        var e = Example.of("t", "q", "Apple banana");
        assertTrue(f.evaluate(e, "Apple banana").isCorrect());
        assertEquals(0.5, f.evaluate(e, "apple banana").score());
        assertFalse(WordListConfig.defaults().caseSensitive());
    }

    @Test
    void goldWithoutWordsIsAnInputErrorOfTheExample() {
        var e = Example.of("ws/0", "q", " ");
        assertEquals("ws/0", assertThrows(InvalidInputException.class, () -> createFeedback().evaluate(e, "a")).source());
    }

    @Test
    void prefixCheckAcceptsEveryPrefixOfEveryCorrectForm() {
        var f = createFeedback();
        for (String correct : List.of("Apple  banana\ncherry. .", " apple banana cherry", "apple banana cherry...")) {
            assertCorrectWithEveryPrefixAccepted(f, FRUIT, correct);
        }
        assertCorrectWithEveryPrefixAccepted(f, Example.of("dots", "q", "etc. and so on."), "ETC. and so on");
    }

    @Test
    void prefixCheckRejectsPartialOutputsThatLeftTheSequence() {
        var f = (PrefixFeedback) createFeedback();
        for (String partial : List.of("banana", "apple cherry", "apple bananas", "apple banana cherry d", "apple. ",
                "apple banana cherry. x", "applebanana")) {
            assertFalse(f.isPrefixOfCorrect(FRUIT, partial), partial);
        }
        assertTrue(f.isPrefixOfCorrect(FRUIT, "apple ban"));
        assertTrue(f.isPrefixOfCorrect(FRUIT, "apple banana "));
    }
}
