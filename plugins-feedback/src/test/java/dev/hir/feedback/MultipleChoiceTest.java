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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipleChoiceTest extends FeedbackContract {
    private static final MultipleChoiceFactory FACTORY = new MultipleChoiceFactory();
    private static final String QUESTION = "At the end of the semester, Bob has\nOptions:\n";
    /** Options given as a list, as loaders of BIG-bench task.json provide them. */
    private static final Example BOOKS = new Example("tso/1", QUESTION + "(A) Ulysses\n(B) Frankenstein\n(C) Lolita",
            "(B)", List.of("Ulysses", "Frankenstein", "Lolita"), Map.of(), List.of());
    /** Options only inside the input, as in BIG-Bench-Hard files. */
    private static final Example SHAPES = Example.of("gs/1", "This SVG path draws a\nOptions:\n(A) circle\n(B) kite\n"
            + "(C) line\n(D) The quail is the rightmost", "(D)");
    /** No options anywhere: any letter is a well-formed answer. */
    private static final Example BARE = Example.of("bare/1", "Pick a letter.", "(C)");

    @Override
    protected FeedbackFactory<?> factory() {
        return FACTORY;
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create(MultipleChoiceConfig.defaults());
    }

    @Override
    protected List<Example> examples() {
        return List.of(BOOKS, SHAPES, BARE);
    }

    @Override
    protected String wrongOutput(Example example) {
        return example.target().equals("(A)") ? "(B)" : "(A)";
    }

    private static FeedbackFunction create(MultipleChoiceConfig config) {
        return FACTORY.create(config, TestingPluginContext.create());
    }

    private Feedback judge(Example e, String output) {
        return createFeedback().evaluate(e, output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(B)", "B", "B)", "(B", "b", "(b)", " ( B ) ", "(B).", "B.", "(B) Frankenstein",
        "B) Frankenstein", "(B) frankenstein.", "(B)  Frankenstein", "Frankenstein", "frankenstein.", "(B)\n"})
    void multipleChoiceAcceptsEveryFormOfTheGoldOption(String output) {
        Feedback fb = judge(BOOKS, output);
        assertTrue(fb.isCorrect(), () -> output + " → " + fb);
        assertEquals(1.0, fb.score());
    }

    @ParameterizedTest
    @ValueSource(strings = {"(A)", "A", "c)", "(C) Lolita", "Ulysses", "lolita."})
    void anotherValidOptionIsWrongNotMalformed(String output) {
        Feedback fb = judge(BOOKS, output);
        assertEquals(Verdict.WRONG, fb.verdict(), () -> output + " → " + fb);
        assertEquals(0.0, fb.score());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "(D)", "Z", "Dracula", "(B) Lolita", "(B) because it is", "(A) or (B)",
        "B is the answer", "AB", "((B))", "2"})
    void outputsNamingNoOptionAreMalformed(String output) {
        Feedback fb = judge(BOOKS, output);
        assertEquals(Verdict.MALFORMED, fb.verdict(), () -> output + " → " + fb);
        assertEquals(0.0, fb.score());
    }

    @Test
    void reasonsSayWhatWasExpectedAndWhatCame() {
        assertEquals("expected (B), got (C)", judge(BOOKS, "(C)").reason());
        assertEquals("answered (B)", judge(BOOKS, "Frankenstein").reason());
        assertEquals("(B) given with the text of (C); expected (B)", judge(BOOKS, "(B) Lolita").reason());
        assertEquals("(E) is not one of (A)–(C); expected (B)", judge(BOOKS, "(E)").reason());
    }

    @Test
    void optionsAreReadFromTheInputWhenTheExampleHasNone() {
        assertTrue(judge(SHAPES, "The quail is the rightmost.").isCorrect());
        assertTrue(judge(SHAPES, "(D) the quail is the rightmost").isCorrect());
        assertEquals(Verdict.WRONG, judge(SHAPES, "kite").verdict());
        assertEquals(Verdict.MALFORMED, judge(SHAPES, "(E)").verdict());
    }

    @Test
    void withoutOptionsAnyLetterIsWellFormedButTextIsNot() {
        assertTrue(judge(BARE, "c").isCorrect());
        assertTrue(judge(BARE, "(C) whatever text").isCorrect());
        assertEquals(Verdict.WRONG, judge(BARE, "(Z)").verdict());
        assertEquals(Verdict.MALFORMED, judge(BARE, "circle").verdict());
    }

    @Test
    void optionTextCanBeTurnedOff() {
        var f = create(new MultipleChoiceConfig(false, null));
        assertEquals(Verdict.MALFORMED, f.evaluate(BOOKS, "Frankenstein").verdict());
        assertTrue(f.evaluate(BOOKS, "(B) Frankenstein").isCorrect());
    }

    @Test
    void readingOptionsFromTheInputCanBeTurnedOff() {
        var f = create(new MultipleChoiceConfig(null, false));
        assertEquals(Verdict.MALFORMED, f.evaluate(SHAPES, "The quail is the rightmost").verdict());
        assertEquals(Verdict.WRONG, f.evaluate(SHAPES, "(H)").verdict());
    }

    @Test
    void configDefaultsAcceptTextAndReadOptionsFromInput() {
        var c = MultipleChoiceConfig.defaults();
        assertTrue(c.acceptOptionText());
        assertTrue(c.optionsFromInput());
    }

    @Test
    void goldMayBeAnOptionText() {
        var e = new Example("t", "q", "Lolita", List.of("Ulysses", "Frankenstein", "Lolita"), Map.of(), List.of());
        assertTrue(judge(e, "(C)").isCorrect());
        assertTrue(judge(e, "lolita").isCorrect());
        assertEquals("expected (C), got (A)", judge(e, "A").reason());
    }

    @Test
    void goldNamingNoOptionIsAnInputErrorOfTheExample() {
        var e = new Example("bad/7", "q", "(F)", List.of("x", "y"), Map.of(), List.of());
        var ex = assertThrows(InvalidInputException.class, () -> judge(e, "(A)"));
        assertEquals("bad/7", ex.source());
        var text = new Example("bad/8", "q", "z", List.of("x", "y"), Map.of(), List.of());
        assertEquals("bad/8", assertThrows(InvalidInputException.class, () -> judge(text, "(A)")).source());
    }

    @Test
    void prefixCheckAcceptsEveryPrefixOfEveryCorrectForm() {
        var f = createFeedback();
        for (String correct : List.of("(B) Frankenstein.", "B) Frankenstein", " ( b )", "Frankenstein", "B.")) {
            assertCorrectWithEveryPrefixAccepted(f, BOOKS, correct);
        }
        assertCorrectWithEveryPrefixAccepted(f, SHAPES, "(D) The quail is the rightmost.");
        assertCorrectWithEveryPrefixAccepted(f, BARE, "(C) any text at all");
    }

    @Test
    void prefixCheckRejectsPartialOutputsOfOtherOptions() {
        var f = (PrefixFeedback) createFeedback();
        for (String partial : List.of("(C", "C)", "Lol", "(B) Lol", "(B) Frankenstein and", "Frankenstein (")) {
            assertFalse(f.isPrefixOfCorrect(BOOKS, partial), partial);
        }
        assertTrue(f.isPrefixOfCorrect(BOOKS, "Fr"));
    }
}
