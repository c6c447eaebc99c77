package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hir.api.Objective;
import dev.hir.api.TrainingStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    static final int VOCAB = ObjectiveLossTest.VOCAB;
    static final int DIM = ObjectiveLossTest.DIM;

    private NDManager manager;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static long residentKilobytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** The objective batch with behaviour log-probs, so every objective can train on it. */
    private static List<EncodedSequence> batch() {
        List<EncodedSequence> out = new ArrayList<>();
        double offset = -0.3;
        for (EncodedSequence s : ObjectiveLossTest.batch()) {
            out.add(new EncodedSequence(s.promptIds(), s.targetIds(), s.contrastPromptIds(), s.weight(),
                    s.answerTokenIds(), OptionalDouble.of(-4.0 + offset), s.group()));
            offset += 0.2;
        }
        return out;
    }

    private static OptimizerConfig config(int microBatch) {
        return new OptimizerConfig(0.05, 0.9, 0.98, 1e-8, 0.01, 1.0, "cosine", 2, 20L, microBatch);
    }

    @Test
    void gradientAccumulationGivesTheWholeBatchUpdate() {
        List<Objective> objectives = List.of(Objective.Hir.paper(),
                new Objective.Hir(0.2, Objective.Smoothing.ANSWER_TOKENS, 1.0, 0.001, Objective.Contrastive.PAIRWISE),
                new Objective.GroupRelative(0.2, 0.05), new Objective.Nll());
        TinyLm whole = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT64, true);
        TinyLm split = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT64, true);
        TinyLm frozen = new TinyLm(manager, VOCAB, DIM, 6L, DataType.FLOAT64, false);
        try (Trainer a = new Trainer(whole, config(64), Optional.of(frozen));
                Trainer b = new Trainer(split, config(4), Optional.of(frozen))) {
            for (Objective objective : objectives) {
                TrainingStats sa = a.step(batch(), objective);
                TrainingStats sb = b.step(batch(), objective);
                assertEquals(sa.loss(), sb.loss(), 1e-12, objective.name());
                assertEquals(sa.gradientNorm(), sb.gradientNorm(), 1e-12, objective.name());
                assertEquals(sa.terms().keySet(), sb.terms().keySet());
                sa.terms().forEach((k, v) -> assertEquals(v, sb.terms().get(k), 1e-12, k));
                assertArrayEquals(whole.weights(), split.weights(), 1e-12, objective.name());
            }
        }
    }

    @Test
    void nllMicroBatchesGroupSequencesOfSimilarLength() {
        List<EncodedSequence> ordered = Trainer.byLength(batch());
        for (int i = 1; i < ordered.size(); i++) {
            EncodedSequence a = ordered.get(i - 1);
            EncodedSequence b = ordered.get(i);
            assertTrue(a.promptIds().length + a.targetIds().length <= b.promptIds().length + b.targetIds().length);
        }
        assertEquals(batch().size(), ordered.size());
    }

    @Test
    void float32AccumulationMatchesUpToFloatError() {
        TinyLm whole = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT32, true);
        TinyLm split = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT32, true);
        try (Trainer a = new Trainer(whole, config(6)); Trainer b = new Trainer(split, config(1))) {
            for (int i = 0; i < 3; i++) {
                a.step(batch(), Objective.Hir.paper());
                b.step(batch(), Objective.Hir.paper());
            }
            assertArrayEquals(whole.weights(), split.weights(), 1e-5);
        }
    }

    @Test
    void stepReportsLossTermsTokensRateAndNorm() {
        TinyLm model = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT32, true);
        try (Trainer trainer = new Trainer(model, config(4))) {
            TrainingStats first = trainer.step(batch(), new Objective.Nll());
            assertEquals(12, first.tokens());
            assertEquals(0.05 * 0.5, first.learningRate(), 1e-12, "first of two warm-up steps");
            assertTrue(first.gradientNorm() > 0.0);
            assertEquals(first.loss(), first.terms().get("nll"), 1e-6);
            TrainingStats last = first;
            for (int i = 0; i < 15; i++) {
                last = trainer.step(batch(), new Objective.Nll());
            }
            assertEquals(16, trainer.steps());
            assertTrue(last.loss() < first.loss() - 0.1, first.loss() + " -> " + last.loss());
            assertThrows(IllegalArgumentException.class, () -> trainer.step(List.of(), new Objective.Nll()));
            List<EncodedSequence> bad = new ArrayList<>(batch());
            EncodedSequence s = bad.get(4);
            bad.set(4, new EncodedSequence(s.promptIds(), s.targetIds(), List.of(new int[] {VOCAB + 3}), s.weight(),
                    s.answerTokenIds(), s.behaviorLogProb(), s.group()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(bad, Objective.Hir.paper()));
            assertTrue(e.getMessage().startsWith("sequence 4 contrast prompt 0"), e.getMessage());
            assertEquals(16, trainer.steps(), "a rejected batch takes no step");
        }
    }

    @Test
    void trainsOnAThreadOtherThanTheEnginesOwn() throws Exception {
        // PyTorch's grad mode is per thread and on by default; DJL turns it off only where the engine loaded.
        TinyLm model = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT32, true);
        TinyLm twin = new TinyLm(manager, VOCAB, DIM, 5L, DataType.FLOAT32, true);
        try (Trainer here = new Trainer(model, config(4)); Trainer there = new Trainer(twin, config(4))) {
            here.step(batch(), Objective.Hir.paper());
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    there.step(batch(), Objective.Hir.paper());
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            worker.start();
            worker.join();
            if (failure.get() != null) {
                throw new AssertionError("training on another thread failed", failure.get());
            }
            assertArrayEquals(model.weights(), twin.weights(), 0.0);
        }
    }

    @Test
    void resumesBitExactlyFromSavedState() throws Exception {
        Objective objective = Objective.Hir.paper();
        double[] initial = TinyLm.randomWeights(VOCAB, DIM, 9L);
        TinyLm uninterrupted = new TinyLm(manager, VOCAB, DIM, initial, DataType.FLOAT32, true);
        try (Trainer trainer = new Trainer(uninterrupted, config(4))) {
            for (int i = 0; i < 5; i++) {
                TrainingStats stats = trainer.step(batch(), objective);
                assertTrue(Double.isFinite(stats.gradientNorm()), "step " + i + ": " + stats);
            }
        }
        Path weights = dir.resolve("model.safetensors");
        try (NDManager first = NDManager.newBaseManager()) {
            TinyLm model = new TinyLm(first, VOCAB, DIM, initial, DataType.FLOAT32, true);
            try (Trainer trainer = new Trainer(model, config(4))) {
                for (int i = 0; i < 3; i++) {
                    TrainingStats stats = trainer.step(batch(), objective);
                    assertTrue(Double.isFinite(stats.gradientNorm()), "step " + i + ": " + stats);
                }
                trainer.saveState(dir);
                try (OutputStream out = Files.newOutputStream(weights)) {
                    model.parameters().encode(out, NDList.Encoding.SAFETENSORS);
                }
            }
        }
        try (NDManager second = NDManager.newBaseManager()) {
            float[][] loaded;
            try (InputStream in = Files.newInputStream(weights)) {
                NDList list = NDList.decode(second, in);
                loaded = new float[][] {list.get("embedding").toFloatArray(), list.get("output").toFloatArray(),
                    list.get("bias").toFloatArray()};
            }
            TinyLm model = new TinyLm(second, VOCAB, DIM, initial, DataType.FLOAT32, true);
            model.embedding.set(loaded[0]);
            model.output.set(loaded[1]);
            model.bias.set(loaded[2]);
            try (Trainer trainer = new Trainer(model, config(4))) {
                trainer.loadState(dir);
                assertEquals(3, trainer.steps());
                for (int i = 0; i < 2; i++) {
                    trainer.step(batch(), objective);
                }
            }
            assertArrayEquals(uninterrupted.embedding.toFloatArray(), model.embedding.toFloatArray());
            assertArrayEquals(uninterrupted.output.toFloatArray(), model.output.toFloatArray());
            assertArrayEquals(uninterrupted.bias.toFloatArray(), model.bias.toFloatArray());
        }
    }

    @Test
    void nativeMemoryDoesNotGrowOver200Steps() throws Exception {
        // A large vocabulary makes each step's arrays big (megabytes), so a leak would show in RSS too.
        int vocab = 2048;
        TinyLm model = new TinyLm(manager, vocab, DIM, 5L, DataType.FLOAT32, true);
        TinyLm frozen = new TinyLm(manager, vocab, DIM, 6L, DataType.FLOAT32, false);
        List<Objective> objectives = List.of(Objective.Hir.paper(), new Objective.GroupRelative(0.2, 0.05),
                new Objective.Hir(0.2, Objective.Smoothing.ANSWER_TOKENS, 1.0, 0.001, Objective.Contrastive.PAIRWISE));
        try (Trainer trainer = new Trainer(model, config(8), Optional.of(frozen))) {
            for (Objective objective : objectives) {
                trainer.step(batch(), objective);
            }
            int afterWarmUp = manager.getManagedArrays().size();
            long rssBefore = residentKilobytes();
            for (int i = 0; i < 200; i++) {
                trainer.step(batch(), objectives.get(i % objectives.size()));
            }
            assertEquals(afterWarmUp, manager.getManagedArrays().size(), "arrays alive after 200 more steps");
            long growth = residentKilobytes() - rssBefore;
            // Leaking one step's arrays would add several megabytes per step, over a gigabyte in all;
            // the bound leaves room for the JVM's own heap growth.
            assertTrue(growth < 256 * 1024, "RSS grew by " + growth + " kB over 200 steps");
        }
    }
}
