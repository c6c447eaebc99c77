package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.hir.api.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectiveLossTest {

    static final int VOCAB = 7;
    static final int DIM = 4;

    private NDManager manager;
    private TinyLm model;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = new TinyLm(manager, VOCAB, DIM, 11L, DataType.FLOAT64, true);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Shared prompts (for the batch contrast), answer sets, a sequence without contrast prompt, groups. */
    static List<EncodedSequence> batch() {
        int[] answers = {4, 5};
        return List.of(
                seq(new int[] {1, 2, 3}, new int[] {4, 6}, List.of(new int[] {1, 5, 3}), 1.0, answers, "q1"),
                seq(new int[] {1, 2, 3}, new int[] {5, 6}, List.of(new int[] {1, 5, 3}), 0.5, answers, "q1"),
                seq(new int[] {2, 3}, new int[] {4}, List.of(new int[] {5, 3}), 2.0, answers, "q2"),
                seq(new int[] {6, 1, 2, 3}, new int[] {5, 6, 0}, List.of(), 1.0, new int[0], "q2"),
                seq(new int[] {2, 3}, new int[] {0, 1}, List.of(new int[] {5, 3}), 1.5, answers, "q3"),
                seq(new int[] {1, 2, 3}, new int[] {4, 6}, List.of(new int[] {1, 5, 3}), 0.0, answers, "q1"));
    }

    static EncodedSequence seq(int[] prompt, int[] target, List<int[]> contrast, double weight, int[] answers,
            String group) {
        return new EncodedSequence(prompt, target, contrast, weight, answers, OptionalDouble.empty(), group);
    }

    private ObjectiveLoss.Loss loss(Objective objective, List<EncodedSequence> batch, Optional<CausalLm> reference) {
        return ObjectiveLoss.of(objective, reference).compute(model, manager, batch);
    }

    private double value(Objective objective, List<EncodedSequence> batch, Optional<CausalLm> reference) {
        return loss(objective, batch, reference).value();
    }

    @Test
    void nllMatchesPlainJavaComputation() {
        double expected = ReferenceLosses.nll(model, manager, batch());
        ObjectiveLoss.Loss loss = loss(new Objective.Nll(), batch(), Optional.empty());
        assertEquals(expected, loss.value(), 1e-12);
        assertEquals(expected, loss.terms().get("nll"), 1e-12);
        assertEquals(2 + 2 + 1 + 3 + 2 + 2, loss.tokens());
    }

    @Test
    void hirBatchContrastMatchesPaperFormula() {
        Objective.Hir paper = Objective.Hir.paper();
        double expected = ReferenceLosses.hir(model, manager, batch(), paper);
        ObjectiveLoss.Loss loss = loss(paper, batch(), Optional.empty());
        assertEquals(expected, loss.value(), 1e-12);
        Map<String, Double> t = loss.terms();
        assertEquals(loss.value(), t.get("supervised") + t.get("contrastive") - 0.001 * t.get("entropy"), 1e-12);
        assertTrue(t.get("contrastive") > 0.0);
    }

    @Test
    void hirAnswerTokenSmoothingMatchesPlainJava() {
        Objective.Hir hir = new Objective.Hir(0.3, Objective.Smoothing.ANSWER_TOKENS, 0.0, 0.0,
                Objective.Contrastive.BATCH);
        double expected = ReferenceLosses.hir(model, manager, batch(), hir);
        ObjectiveLoss.Loss loss = loss(hir, batch(), Optional.empty());
        assertEquals(expected, loss.value(), 1e-12);
        // Smoothing over answer tokens differs from smoothing over the vocabulary.
        Objective.Hir vocabulary = new Objective.Hir(0.3, Objective.Smoothing.VOCABULARY, 0.0, 0.0,
                Objective.Contrastive.BATCH);
        assertTrue(Math.abs(value(vocabulary, batch(), Optional.empty()) - loss.value()) > 1e-3);
    }

    @Test
    void hirPairwiseMatchesReferenceCodeFormula() {
        Objective.Hir code = new Objective.Hir(0.2, Objective.Smoothing.VOCABULARY, 1.0, 0.001,
                Objective.Contrastive.PAIRWISE);
        double expected = ReferenceLosses.hir(model, manager, batch(), code);
        assertEquals(expected, value(code, batch(), Optional.empty()), 1e-12);
    }

    @Test
    void groupRelativeMatchesPlainJava() {
        TinyLm frozen = new TinyLm(manager, VOCAB, DIM, 99L, DataType.FLOAT64, false);
        List<EncodedSequence> batch = offPolicy(batch());
        Objective.GroupRelative grpo = new Objective.GroupRelative(0.2, 0.1);
        double expected = ReferenceLosses.groupRelative(model, Optional.of(frozen), manager, batch, grpo);
        ObjectiveLoss.Loss loss = loss(grpo, batch, Optional.of(frozen));
        assertEquals(expected, loss.value(), 1e-12);
        assertTrue(loss.terms().get("kl") > 0.0);
        assertTrue(loss.terms().get("clip_fraction") > 0.0, "some ratios should be outside the clip range");
    }

    /** Behaviour log-probs around the current ones, some far enough to be clipped, one missing. */
    private List<EncodedSequence> offPolicy(List<EncodedSequence> batch) {
        double[] offsets = {0.05, -0.5, Double.NaN, 0.4, -0.1, 0.0};
        List<EncodedSequence> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EncodedSequence s = batch.get(i);
            double logp = ReferenceLosses.sequenceLogProb(
                    ReferenceLosses.logProbs(model, manager, s.promptIds(), s.targetIds()), s.targetIds());
            OptionalDouble behavior = Double.isNaN(offsets[i]) ? OptionalDouble.empty() : OptionalDouble.of(logp + offsets[i]);
            out.add(new EncodedSequence(s.promptIds(), s.targetIds(), s.contrastPromptIds(), s.weight(),
                    s.answerTokenIds(), behavior, s.group()));
        }
        return out;
    }

    @Test
    void groupAdvantagesAreNormalizedWithinEachGroup() {
        double[] a = GroupRelativeLoss.advantages(batch());
        // q1 holds weights 1.0, 0.5, 0.0: mean 0.5, sample std 0.5.
        assertEquals(0.5 / (0.5 + 1e-4), a[0], 1e-12);
        assertEquals(0.0, a[1], 1e-12);
        assertEquals(-0.5 / (0.5 + 1e-4), a[5], 1e-12);
        // A group of one has no baseline to compare with.
        assertEquals(0.0, a[4], 0.0);
    }

    @Test
    void nllGradientMatchesFiniteDifferences() {
        Objective nll = new Objective.Nll();
        checkGradient(nll, batch(), Optional.empty(), () -> ReferenceLosses.nll(model, manager, batch()));
    }

    @Test
    void hirBatchGradientMatchesFiniteDifferences() {
        Objective.Hir hir = new Objective.Hir(0.2, Objective.Smoothing.ANSWER_TOKENS, 0.7, 0.05,
                Objective.Contrastive.BATCH);
        checkGradient(hir, batch(), Optional.empty(), () -> ReferenceLosses.hir(model, manager, batch(), hir));
    }

    @Test
    void hirPairwiseGradientMatchesFiniteDifferences() {
        Objective.Hir hir = new Objective.Hir(0.2, Objective.Smoothing.VOCABULARY, 1.0, 0.05,
                Objective.Contrastive.PAIRWISE);
        checkGradient(hir, batch(), Optional.empty(), () -> ReferenceLosses.hir(model, manager, batch(), hir));
    }

    @Test
    void groupRelativeGradientMatchesFiniteDifferences() {
        TinyLm frozen = new TinyLm(manager, VOCAB, DIM, 99L, DataType.FLOAT64, false);
        List<EncodedSequence> batch = offPolicy(batch());
        // The on-policy sequence's behaviour log-prob is the current one, held constant (detached): the
        // finite differences must not move it with the parameters.
        List<EncodedSequence> held = new ArrayList<>();
        for (EncodedSequence s : batch) {
            double logp = ReferenceLosses.sequenceLogProb(
                    ReferenceLosses.logProbs(model, manager, s.promptIds(), s.targetIds()), s.targetIds());
            held.add(new EncodedSequence(s.promptIds(), s.targetIds(), s.contrastPromptIds(), s.weight(),
                    s.answerTokenIds(), OptionalDouble.of(s.behaviorLogProb().orElse(logp)), s.group()));
        }
        Objective.GroupRelative grpo = new Objective.GroupRelative(0.2, 0.1);
        checkGradient(grpo, batch, Optional.of(frozen),
                () -> ReferenceLosses.groupRelative(model, Optional.of(frozen), manager, held, grpo));
    }

    /** The analytic gradient of the objective against central differences of the plain-Java loss. */
    private void checkGradient(Objective objective, List<EncodedSequence> batch, Optional<CausalLm> reference,
            DoubleSupplier referenceLoss) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss(objective, batch, reference).tensor());
        }
        NDArray[] params = {model.embedding, model.output, model.bias};
        int[][] entries = {{0, 1 * DIM + 0}, {0, 3 * DIM + 2}, {0, 6 * DIM + 1}, {1, 2 * VOCAB + 4}, {1, 6},
            {2, 5}, {2, 0}};
        double h = 1e-5;
        for (int[] entry : entries) {
            NDArray p = params[entry[0]];
            double analytic = p.getGradient().toDoubleArray()[entry[1]];
            double[] values = p.toDoubleArray();
            double original = values[entry[1]];
            values[entry[1]] = original + h;
            p.set(values);
            double plus = referenceLoss.getAsDouble();
            values[entry[1]] = original - h;
            p.set(values);
            double minus = referenceLoss.getAsDouble();
            values[entry[1]] = original;
            p.set(values);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic, 1e-7 + 1e-6 * Math.abs(numeric),
                    objective.name() + " gradient of parameter " + entry[0] + "[" + entry[1] + "]");
        }
        for (NDArray p : params) {
            p.getGradient().set(new NDIndex("..."), 0);
        }
    }

    @Test
    void gradientsSurviveGarbageCollectionBeforeTheBackwardPass() {
        // Regression: DJL frees the temporary array of a Number operand (x.mul(2.0)) right after the forward
        // op while autograd still needs it; once its buffer was reclaimed, gradients came out NaN.
        TinyLm single = new TinyLm(manager, VOCAB, DIM, 11L, DataType.FLOAT32, true);
        TinyLm frozen = new TinyLm(manager, VOCAB, DIM, 99L, DataType.FLOAT32, false);
        List<EncodedSequence> batch = offPolicy(batch());
        for (Objective objective : List.of(new Objective.Nll(), Objective.Hir.paper(),
                new Objective.Hir(0.2, Objective.Smoothing.ANSWER_TOKENS, 1.0, 0.001, Objective.Contrastive.PAIRWISE),
                new Objective.GroupRelative(0.2, 0.1))) {
            ObjectiveLoss loss = ObjectiveLoss.of(objective, Optional.of(frozen));
            float[][] calm = gradients(single, loss, batch, false);
            float[][] collected = gradients(single, loss, batch, true);
            for (int p = 0; p < calm.length; p++) {
                assertArrayEquals(calm[p], collected[p], objective.name() + " parameter " + p);
            }
        }
    }

    private float[][] gradients(TinyLm lm, ObjectiveLoss loss, List<EncodedSequence> batch, boolean collectGarbage) {
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.compute(lm, step, batch).tensor();
                if (collectGarbage) {
                    System.gc();
                    // Reuse freed native memory with NaN bytes, so a dangling reference cannot go unnoticed.
                    List<java.nio.ByteBuffer> filler = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(8);
                        b.putLong(0, -1L);
                        filler.add(b);
                    }
                    assertEquals(2000, filler.size());
                }
                collector.backward(value);
            }
        }
        float[][] out = new float[3][];
        NDArray[] params = {lm.embedding, lm.output, lm.bias};
        for (int p = 0; p < 3; p++) {
            NDArray g = params[p].getGradient();
            out[p] = g.toFloatArray();
            g.set(new NDIndex("..."), 0);
            g.close();
        }
        return out;
    }

    @Test
    void microBatchPartsAddUpToTheWholeBatch() {
        TinyLm frozen = new TinyLm(manager, VOCAB, DIM, 99L, DataType.FLOAT64, false);
        List<EncodedSequence> batch = offPolicy(batch());
        for (Objective objective : List.of(new Objective.Nll(), Objective.Hir.paper(),
                new Objective.Hir(0.2, Objective.Smoothing.ANSWER_TOKENS, 1.0, 0.001, Objective.Contrastive.PAIRWISE),
                new Objective.GroupRelative(0.2, 0.1))) {
            ObjectiveLoss loss = ObjectiveLoss.of(objective, Optional.of(frozen));
            ObjectiveLoss.Loss whole = loss.compute(model, manager, batch);
            double sum = 0;
            for (int[] part : new int[][] {{0, 2}, {2, 3}, {3, 6}}) {
                sum += loss.compute(model, manager, batch, part[0], part[1]).value();
            }
            assertEquals(whole.value(), sum, 1e-12, objective.name());
        }
    }

    @Test
    void contrastiveTermsScoreExtraRowsSharedByEqualTargets() {
        assertEquals(6, ObjectiveLoss.of(new Objective.Nll(), Optional.empty()).rows(batch(), 0, 6));
        // Pairwise: one more row for each of the 5 sequences with a contrast prompt.
        assertEquals(11, ObjectiveLoss.of(new Objective.Hir(0.2, Objective.Smoothing.VOCABULARY, 1.0, 0.0,
                Objective.Contrastive.PAIRWISE), Optional.empty()).rows(batch(), 0, 6));
        // Batch: 3 distinct prompts × 5 distinct targets = 15 pairs, 5 of them some sequence's own.
        ObjectiveLoss paper = ObjectiveLoss.of(Objective.Hir.paper(), Optional.empty());
        assertEquals(6 + 10, paper.rows(batch(), 0, 6));
        assertEquals(1 + 2, paper.rows(batch(), 0, 1));
        // Sequence 5 repeats sequence 0 (prompt and target): it adds its own row only.
        assertEquals(paper.rows(batch(), 0, 5) + 1, paper.rows(batch(), 0, 6));
    }

    @Test
    void float32ModelGivesTheSameLossUpToFloatError() {
        TinyLm single = new TinyLm(manager, VOCAB, DIM, 11L, DataType.FLOAT32, true);
        Objective.Hir paper = Objective.Hir.paper();
        double expected = ReferenceLosses.hir(model, manager, batch(), paper);
        double actual = ObjectiveLoss.of(paper, Optional.empty()).compute(single, manager, batch()).value();
        assertEquals(expected, actual, 1e-5);
    }

    @Test
    void rejectsSequencesItCannotScore() {
        ObjectiveLoss nll = ObjectiveLoss.of(new Objective.Nll(), Optional.empty());
        List<EncodedSequence> empty = List.of(seq(new int[] {1}, new int[0], List.of(), 1.0, new int[0], ""));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> nll.compute(model, manager, empty));
        assertTrue(e.getMessage().contains("sequence 0"), e.getMessage());
        List<EncodedSequence> outside = List.of(seq(new int[] {1}, new int[] {VOCAB}, List.of(), 1.0, new int[0], ""));
        assertThrows(IllegalArgumentException.class, () -> nll.compute(model, manager, outside));
        assertThrows(IllegalArgumentException.class,
                () -> ObjectiveLoss.of(new Objective.GroupRelative(0.2, 0.1), Optional.empty()));
    }
}
