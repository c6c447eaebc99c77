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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumericTest extends FeedbackContract {
    private static final NumericFactory FACTORY = new NumericFactory();
    private static final Example EIGHT = Example.of("count/1", "How many musical instruments do I have?", "8");

    @Override
    protected FeedbackFactory<?> factory() {
        return FACTORY;
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create(NumericConfig.defaults());
    }

    @Override
    protected List<Example> examples() {
        return List.of(EIGHT, Example.of("n/0", "q", "0"), Example.of("n/neg", "q", "-21"),
                Example.of("n/big", "q", "1,205"), Example.of("n/frac", "q", "2.50"), Example.of("n/word", "q", "Eleven"));
    }

    @Override
    protected String wrongOutput(Example example) {
        return "99";
    }

    private static FeedbackFunction create(NumericConfig config) {
        return FACTORY.create(config, TestingPluginContext.create());
    }

    private Feedback judge(String gold, String output) {
        return createFeedback().evaluate(Example.of("t", "q", gold), output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", " 8 ", "8.", "8.0", "08", "+8", "eight", "Eight.", "EIGHT", " eight \n", "8 ."})
    void numericAcceptsDigitsAndWordsForEight(String output) {
        Feedback fb = createFeedback().evaluate(EIGHT, output);
        assertTrue(fb.isCorrect(), () -> output + " → " + fb);
        assertEquals(1.0, fb.score());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "21|twenty-one", "21|Twenty one", "21|twenty - one", "105|one hundred and five", "105|one hundred five",
        "1000|one thousand", "1000|1,000", "1205|one thousand two hundred five", "1205|1,205", "2005|two thousand and five",
        "-3|minus three", "-3|negative three", "-3|-3", "0|zero", "0|-0", "0|0.000", "12|twelve", "90|ninety",
        "1000000|one million", "2.5|2.50", "2.5|02.5",
    })
    void numericReadsSpelledAndWrittenNumbers(String gold, String output) {
        assertTrue(judge(gold, output).isCorrect(), () -> gold + " vs " + output + " → " + judge(gold, output));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9", "nine", "8.5", "-8", "80", "eighteen", "eighty"})
    void anotherNumberIsWrongNotMalformed(String output) {
        Feedback fb = createFeedback().evaluate(EIGHT, output);
        assertEquals(Verdict.WRONG, fb.verdict(), () -> output + " → " + fb);
        assertEquals(0.0, fb.score());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "eight apples", "8 apples", "(B)", "one two", "twelve hundred", "eight-",
        "-eight", "1,00", "08,000", "zero zero", "minus zero", "one hundred and", "one thousand and two hundred",
        "five thousand six thousand", "8 (eight)", "a"})
    void nonNumbersAreMalformed(String output) {
        Feedback fb = createFeedback().evaluate(EIGHT, output);
        assertEquals(Verdict.MALFORMED, fb.verdict(), () -> output + " → " + fb);
    }

    @Test
    void referenceExactMatchesCountAsCorrectToo() {
        // ".8" normalizes to "8" in the reference code, so the paper's metric counts it.
        assertTrue(createFeedback().evaluate(EIGHT, ".8").isCorrect());
    }

    @Test
    void reasonsNameBothNumbers() {
        assertEquals("expected 8, got 9", createFeedback().evaluate(EIGHT, "nine").reason());
        assertEquals("not a number: \"eight apples\"; expected 8", createFeedback().evaluate(EIGHT, "eight apples").reason());
    }

    @Test
    void wordsCanBeTurnedOff() {
        var f = create(new NumericConfig(false));
        assertEquals(Verdict.MALFORMED, f.evaluate(EIGHT, "eight").verdict());
        assertTrue(f.evaluate(EIGHT, "8").isCorrect());
        assertFalse(((PrefixFeedback) f).isPrefixOfCorrect(EIGHT, "eig"));
        assertTrue(NumericConfig.defaults().words());
    }

    @Test
    void goldThatIsNoNumberIsAnInputErrorOfTheExample() {
        var e = Example.of("count/9", "q", "many");
        assertEquals("count/9", assertThrows(InvalidInputException.class, () -> createFeedback().evaluate(e, "8")).source());
    }

    @Test
    void spellingAndParsingAreInverse() {
        for (long n = 0; n <= 3000; n++) {
            assertEquals(Optional.of(n), EnglishNumbers.parse(EnglishNumbers.spell(n)), "n=" + n);
        }
        for (long n : new long[] {1_000_000L, 7_000_019L, 123_456_789_012L, EnglishNumbers.MAX}) {
            assertEquals(Optional.of(n), EnglishNumbers.parse(EnglishNumbers.spell(n)), "n=" + n);
        }
        assertEquals(List.of("one", "hundred", "five"), EnglishNumbers.spell(105));
    }

    @Test
    void prefixCheckAcceptsEveryPrefixOfEveryCorrectForm() {
        var f = createFeedback();
        for (String correct : List.of("Eight.", "+08.00 .", " eight", "8.")) {
            assertCorrectWithEveryPrefixAccepted(f, EIGHT, correct);
        }
        var big = Example.of("b", "q", "-1205");
        for (String correct : List.of("minus one thousand two hundred and five", "Negative One-Thousand Two-Hundred Five.",
                "-1,205.0", "-0001205")) {
            assertCorrectWithEveryPrefixAccepted(f, big, correct);
        }
        assertCorrectWithEveryPrefixAccepted(f, Example.of("f", "q", "2.5"), "2.500");
        assertCorrectWithEveryPrefixAccepted(f, Example.of("z", "q", "0"), "-0.0");
    }

    @Test
    void prefixCheckRejectsPartialOutputsThatCannotReachTheGold() {
        var f = (PrefixFeedback) createFeedback();
        for (String partial : List.of("9", "80", "8.5", "-", "eighty", "nine", "eight apples", "8 8")) {
            assertFalse(f.isPrefixOfCorrect(EIGHT, partial), partial);
        }
        assertTrue(f.isPrefixOfCorrect(EIGHT, "eigh"));
        assertTrue(f.isPrefixOfCorrect(EIGHT, "8.00"));
    }
}
