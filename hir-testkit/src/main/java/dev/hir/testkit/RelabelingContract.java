package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contract every {@link RelabelingStrategy} plugin passes. */
public abstract class RelabelingContract {

    /** The plugin's factory. */
    protected abstract RelabelingFactory<?> factory();

    /** A strategy created from a typical configuration. */
    protected abstract RelabelingStrategy createStrategy();

    /** The instruction outputs are sampled under. */
    protected String samplingInstruction() {
        return "Solve the question with correct answer.";
    }

    /** Exact match after trimming: enough for the contract. */
    protected FeedbackFunction feedback() {
        return (e, out) -> out.strip().equals(e.target()) ? Feedback.correct("match") : Feedback.wrong(0, "no match");
    }

    /** A context with a seeded random and character-level token pieces. */
    protected RelabelingContext context(long seed) {
        return new TestingRelabelingContext(samplingInstruction(), feedback(), new Random(seed));
    }

    private Episode episode(String output) {
        Example e = Example.of("t/1", "Which is larger, 3 or 5?", "5");
        return new Episode(e, samplingInstruction(), output, feedback().evaluate(e, output), 0, 1);
    }

    @Test
    void factoryIsWellFormedAndDiscoverable() {
        PluginFactoryChecks.checkShape(factory());
        PluginFactoryChecks.checkDiscoverable(RelabelingFactory.class, factory());
    }

    @Test
    void correctAndWrongEpisodesAreRelabeledDifferently() {
        var s = createStrategy();
        List<TrainingExample> right = s.relabel(episode("5"), context(1));
        List<TrainingExample> wrong = s.relabel(episode("3"), context(1));
        assertFalse(right.isEmpty(), "a correct episode must yield training data");
        assertFalse(wrong.isEmpty(), "a wrong episode must yield training data (that is HIR's point)");
        var rightInstr = right.stream().map(TrainingExample::instruction).toList();
        var wrongInstr = wrong.stream().map(TrainingExample::instruction).toList();
        assertFalse(rightInstr.equals(wrongInstr), "wrong and correct outputs got the same instructions");
    }

    @Test
    void relabeledTextComesFromTheOutput() {
        var s = createStrategy();
        for (String out : List.of("5", "3", "the answer is 5")) {
            for (TrainingExample t : s.relabel(episode(out), context(3))) {
                assertTrue(out.startsWith(t.outputPrefix()), "prefix not from output: " + t);
                assertTrue(out.substring(t.outputPrefix().length()).startsWith(t.target()),
                        "target not a continuation of the prefix in the output: " + t);
                assertFalse(t.instruction().isBlank());
            }
        }
    }

    @Test
    void sameSeedGivesSameRelabels() {
        var s = createStrategy();
        for (String out : List.of("5", "3", "the answer is 5")) {
            assertEquals(s.relabel(episode(out), context(9)), s.relabel(episode(out), context(9)));
        }
    }
}
