package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link FeedbackFunction} plugin passes. Extend it, provide the factory, a configured
 * function and examples the function applies to, and add the plugin's own tests beside.
 */
public abstract class FeedbackContract {

    /** The plugin's factory. */
    protected abstract FeedbackFactory<?> factory();

    /** A function created from a typical configuration. */
    protected abstract FeedbackFunction createFeedback();

    /** Examples this function is meant for (at least one). */
    protected abstract List<Example> examples();

    /** An output that is wrong for the example. */
    protected abstract String wrongOutput(Example example);

    @Test
    void factoryIsWellFormedAndDiscoverable() {
        PluginFactoryChecks.checkShape(factory());
        PluginFactoryChecks.checkDiscoverable(FeedbackFactory.class, factory());
    }

    @Test
    void goldTargetIsJudgedCorrectWithFullScore() {
        var f = createFeedback();
        for (Example e : examples()) {
            Feedback fb = f.evaluate(e, e.target());
            assertTrue(fb.isCorrect(), () -> "gold target judged " + fb + " for " + e.id());
            assertEquals(1.0, fb.score(), 1e-12, e.id());
        }
    }

    @Test
    void wrongOutputIsNotCorrect() {
        var f = createFeedback();
        for (Example e : examples()) {
            Feedback fb = f.evaluate(e, wrongOutput(e));
            assertFalse(fb.isCorrect(), () -> "wrong output judged correct for " + e.id());
            assertTrue(fb.score() < 1.0, e.id());
        }
    }

    @Test
    void emptyOutputIsNotCorrect() {
        var f = createFeedback();
        for (Example e : examples()) {
            assertFalse(f.evaluate(e, "").isCorrect(), e.id());
        }
    }

    @Test
    void judgementIsDeterministicAndExplained() {
        var f = createFeedback();
        for (Example e : examples()) {
            for (String out : List.of(e.target(), wrongOutput(e), "", "  \n")) {
                Feedback a = f.evaluate(e, out);
                Feedback b = f.evaluate(e, out);
                assertEquals(a, b);
                assertNotNull(a.reason());
                assertFalse(a.reason().isBlank(), "reason must say something");
            }
        }
    }

    @Test
    void nullArgumentsAreRejected() {
        var f = createFeedback();
        Example e = examples().get(0);
        assertThrows(NullPointerException.class, () -> f.evaluate(null, "x"));
        assertThrows(NullPointerException.class, () -> f.evaluate(e, null));
    }

    @Test
    void everyPrefixOfTheGoldIsAcceptedWhenPrefixCheckIsOffered() {
        var f = createFeedback();
        if (!(f instanceof PrefixFeedback pf)) {
            return;
        }
        for (Example e : examples()) {
            String t = e.target();
            for (int i = 0; i <= t.length(); i++) {
                String prefix = t.substring(0, i);
                assertTrue(pf.isPrefixOfCorrect(e, prefix), () -> "prefix '" + prefix + "' of gold rejected");
            }
        }
    }
}
