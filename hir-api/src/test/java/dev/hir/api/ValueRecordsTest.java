package dev.hir.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The SPI's records check their contracts on construction, so a plugin cannot hand the core a bad value. */
class ValueRecordsTest {

    @Test
    void examplesCopyTheirCollectionsAndCheckStateSpans() {
        var options = new ArrayList<>(List.of("x", "y"));
        Example e = new Example("1", "abc", "(A)", options, Map.of(), List.of(new LatentState(0, 3, Map.of("k", "v"))));
        options.add("z");
        assertEquals(2, e.options().size(), "defensive copy");
        assertTrue(e.isMultipleChoice());
        assertThrows(IllegalArgumentException.class,
                () -> new Example("1", "ab", "t", List.of(), Map.of(), List.of(new LatentState(0, 3, Map.of()))));
        assertThrows(IllegalArgumentException.class, () -> new LatentState(2, 1, Map.of()));
        assertThrows(NullPointerException.class, () -> Example.of(null, "a", "b"));
        assertEquals("v", e.withMetadata("k", "v").metadata().get("k"));
    }

    @Test
    void theGoldOptionIndexIsTheTargetLetterAmongTheOptions() {
        var abc = List.of("a", "b", "c");
        assertEquals(OptionalInt.of(1), new Example("e", "q", "(B)", abc, Map.of(), List.of()).goldOptionIndex());
        assertEquals(OptionalInt.of(2), new Example("e", "q", " (C)\n", abc, Map.of(), List.of()).goldOptionIndex());
        assertEquals(OptionalInt.empty(), new Example("e", "q", "(D)", abc, Map.of(), List.of()).goldOptionIndex(),
                "a letter past the options");
        assertEquals(OptionalInt.empty(), new Example("e", "q", "b", abc, Map.of(), List.of()).goldOptionIndex());
        assertEquals(OptionalInt.empty(), Example.of("e", "q", "(A)").goldOptionIndex(), "free-form example");
    }

    @Test
    void tasksRejectDuplicateIdsAcrossSplits() {
        Example a = Example.of("same", "q1", "1");
        Example b = Example.of("same", "q2", "2");
        var e = assertThrows(IllegalArgumentException.class, () -> new Task("t", List.of(a), List.of(b), Map.of()));
        assertTrue(e.getMessage().contains("same"));
        Task t = new Task("t", List.of(a), List.of(), Map.of());
        assertEquals(List.of(a), t.split(Task.Split.TRAIN));
    }

    @Test
    void feedbackScoresStayInTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Feedback.wrong(1.5, "x"));
        assertThrows(IllegalArgumentException.class, () -> Feedback.wrong(Double.NaN, "x"));
        assertTrue(Feedback.correct("ok").isCorrect());
        assertFalse(Feedback.malformed("no").isCorrect());
        assertEquals(0.0, Feedback.malformed("no").score());
    }

    @Test
    void generationConfigRejectsMeaninglessSettings() {
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(0, 1.0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(1, 0.0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(1, 1.0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(4).withStopStrings(List.of("")));
        assertThrows(IllegalArgumentException.class,
                () -> new GenerationConfig(1, true, 1.0, 0, 1.5, 4, List.of(), 0));
        assertEquals(9L, GenerationConfig.greedy(4).withSeed(9).seed());
    }

    @Test
    void trainingDataRecordsCheckWeightsAndTargets() {
        Example x = Example.of("1", "q", "a");
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingExample("i", List.of(), x, "", "", false, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingExample("i", List.of(), x, "", "a", true, -1.0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSequence("p", "t", true, List.of(),
                Double.POSITIVE_INFINITY, List.of(), OptionalDouble.empty(), ""));
        assertEquals(1.0, TrainingExample.full("i", List.of("j"), x, "a").weight());
        TrainingSequence plain = TrainingSequence.supervised("prompt", "t");
        assertEquals(List.of(), plain.stateLabels());
        assertEquals(List.of(new StateLabel(5, 1, 2)), plain.withStateLabels(List.of(new StateLabel(5, 1, 2))).stateLabels());
        assertThrows(IllegalArgumentException.class, () -> plain.withStateLabels(List.of(new StateLabel(6, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> new StateLabel(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Episode(x, "i", "o", Feedback.correct("c"), 0, 0));
    }

    @Test
    void objectivesCarryThePapersDefaultsAndRejectBadWeights() {
        Objective.Hir paper = Objective.Hir.paper();
        assertEquals(0.2, paper.labelSmoothing());
        assertEquals(1.0, paper.contrastiveWeight());
        assertEquals(0.001, paper.entropyWeight());
        assertEquals(Objective.Smoothing.VOCABULARY, paper.smoothing());
        assertThrows(IllegalArgumentException.class,
                () -> new Objective.Hir(1.0, Objective.Smoothing.VOCABULARY, 1, 0, Objective.Contrastive.BATCH));
        assertThrows(IllegalArgumentException.class, () -> new Objective.GroupRelative(0, 0));
        assertEquals("nll", new Objective.Nll().name());
    }

    @Test
    void invalidInputNamesItsSourceInOneLine() {
        var e = new InvalidInputException("run.yaml: sampling.temperature", "must be > 0");
        assertEquals("run.yaml: sampling.temperature: must be > 0", e.oneLine());
    }
}
