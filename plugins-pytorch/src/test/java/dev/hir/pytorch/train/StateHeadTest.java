package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import dev.hir.api.TrainingStats;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auxiliary latent-state head on the real GPT-2 model of the plugin. */
class StateHeadTest {

    private static final int VOCAB = 8;
    private static final int VALUES = 6;

    private NDManager manager;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Gpt2Model model(long seed) {
        return Gpt2Model.random(Gpt2Config.of(1, 16, 2, 32, VOCAB, VOCAB - 1), seed, manager);
    }

    private static OptimizerConfig config(int microBatch) {
        return new OptimizerConfig(0.01, 0.9, 0.98, 1e-8, 0.0, 1.0, "constant", 0, 1000L, microBatch);
    }

    /**
     * Sequences of tokens 1 and 2 whose state after each token is how many 1s were read so far (capped at
     * VALUES - 1): the count is not in any single token, so only a model that attends back learns it.
     */
    private static List<EncodedSequence> countingBatch(Random r, int size) {
        List<EncodedSequence> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int n = 4 + r.nextInt(5);
            int[] prompt = new int[n];
            List<StateTarget> states = new ArrayList<>();
            int ones = 0;
            for (int t = 0; t < n; t++) {
                prompt[t] = 1 + r.nextInt(2);
                ones += prompt[t] == 1 ? 1 : 0;
                states.add(new StateTarget(t, 0, Math.min(ones, VALUES - 1)));
                states.add(new StateTarget(t, 1, prompt[t]));
            }
            out.add(new EncodedSequence(prompt, new int[] {3, VOCAB - 1}, List.of(), 1.0, new int[0],
                    OptionalDouble.empty(), "", states));
        }
        return out;
    }

    @Test
    void aZeroHeadCostsTheLogOfItsValueCountTimesItsWeight() {
        Gpt2Model m = model(1);
        try (Trainer t = new Trainer(m, config(64), Optional.empty(),
                Optional.of(new StateHead(16, 2, VALUES, 0.5, manager)))) {
            TrainingStats st = t.step(countingBatch(new Random(1), 4), new Objective.Nll());
            assertEquals(0.5 * Math.log(VALUES), st.terms().get("state"), 1e-6);
            assertEquals(st.terms().get("nll") + st.terms().get("state"), st.loss(), 1e-6);
        }
    }

    @Test
    void theLossIsTheCrossEntropyOfTheLinearMapOfTheHiddenStates() {
        Gpt2Model m = model(2);
        try (StateHead head = new StateHead(16, 2, VALUES, 1.0, manager); NDManager step = manager.newSubManager()) {
            Random r = new Random(3);
            float[] kernel = new float[16 * 2 * VALUES];
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) r.nextGaussian();
            }
            float[] bias = new float[2 * VALUES];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) r.nextGaussian();
            }
            head.parameters().get(0).set(kernel);
            head.parameters().get(1).set(bias);
            List<EncodedSequence> batch = countingBatch(new Random(4), 3);
            TokenBatch rows = TokenBatch.of(LossSupport.ownRows(batch, 0, 3), VOCAB, i -> "row " + i);
            NDArray hidden = m.hiddenStates(rows.inputIds(step), rows.attentionMask(step));
            StateHead.Sum sum = head.loss(hidden, batch.stream().map(EncodedSequence::states).toList()).orElseThrow();

            float[] h = hidden.toFloatArray();
            long width = hidden.getShape().get(1);
            double expected = 0;
            int count = 0;
            for (int row = 0; row < batch.size(); row++) {
                for (StateTarget target : batch.get(row).states()) {
                    double[] logits = new double[VALUES];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < VALUES; v++) {
                        int out = target.slot() * VALUES + v;
                        double z = bias[out];
                        for (int d = 0; d < 16; d++) {
                            z += h[(int) ((row * width + target.token()) * 16 + d)] * kernel[d * 2 * VALUES + out];
                        }
                        logits[v] = z;
                        max = Math.max(max, z);
                    }
                    double norm = 0;
                    for (double z : logits) {
                        norm += Math.exp(z - max);
                    }
                    expected += -(logits[target.value()] - max - Math.log(norm));
                    count++;
                }
            }
            assertEquals(count, sum.count());
            assertEquals(expected, sum.tensor().getFloat(), 1e-3 * Math.abs(expected));
        }
    }

    @Test
    void theModelLearnsALatentCountItCannotReadOffOneToken() {
        Gpt2Model m = model(5);
        try (Trainer t = new Trainer(m, config(64), Optional.empty(),
                Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)))) {
            Random r = new Random(6);
            double first = t.step(countingBatch(r, 16), new Objective.Nll()).terms().get("state");
            double last = first;
            for (int i = 0; i < 150; i++) {
                last = t.step(countingBatch(r, 16), new Objective.Nll()).terms().get("state");
            }
            // Slot 1 (the token itself) alone can fall to 0 at most halving the loss; the count must be learned
            // too for it to fall below a fifth.
            assertTrue(last < 0.2 * first, "state loss " + first + " -> " + last);
        }
    }

    @Test
    void microBatchesAddUpToTheWholeBatch() {
        Gpt2Model a = model(7);
        Gpt2Model b = model(7);
        try (Trainer whole = new Trainer(a, config(64), Optional.empty(), Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)));
                Trainer split = new Trainer(b, config(2), Optional.empty(), Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)))) {
            for (int i = 0; i < 3; i++) {
                List<EncodedSequence> batch = countingBatch(new Random(10 + i), 7);
                TrainingStats x = whole.step(batch, new Objective.Nll());
                TrainingStats y = split.step(batch, new Objective.Nll());
                assertEquals(x.loss(), y.loss(), 1e-5);
                assertEquals(x.terms().get("state"), y.terms().get("state"), 1e-5);
            }
        }
    }

    @Test
    void theHeadIsSavedWithTheOptimizerStateAndResumesBitForBit() {
        Gpt2Model a = model(8);
        Random r = new Random(9);
        List<List<EncodedSequence>> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(countingBatch(r, 8));
        }
        double expected;
        try (Trainer t = new Trainer(a, config(64), Optional.empty(), Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)))) {
            t.step(batches.get(0), new Objective.Nll());
            t.step(batches.get(1), new Objective.Nll());
            t.saveState(dir);
            assertTrue(Files.exists(dir.resolve(StateHead.FILE)));
            Map<String, NDArray> weights = new LinkedHashMap<>();
            a.namedParameters().forEach((name, w) -> weights.put(name, w.duplicate()));
            Gpt2Model copy = Gpt2Model.fromParameters(a.config(), weights, manager, "copy");
            try (Trainer resumed = new Trainer(copy, config(64), Optional.empty(),
                    Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)))) {
                resumed.loadState(dir);
                expected = t.step(batches.get(2), new Objective.Nll()).terms().get("state");
                assertEquals(expected, resumed.step(batches.get(2), new Objective.Nll()).terms().get("state"), 0.0);
            }
        }
        assertNotEquals(Math.log(VALUES), expected, 1e-3);
    }

    @Test
    void aStateWithoutAHeadOrWithAnotherShapeIsRejectedByNameAndAHeadlessTrainerResumesFromAHeadedOne() throws Exception {
        try (Trainer plain = new Trainer(model(11), config(64))) {
            plain.step(countingBatch(new Random(1), 2), new Objective.Nll());
            plain.saveState(dir);
        }
        try (Trainer headed = new Trainer(model(11), config(64), Optional.empty(),
                Optional.of(new StateHead(16, 2, VALUES, 1.0, manager)))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> headed.loadState(dir));
            assertTrue(e.oneLine().contains(StateHead.FILE), e.oneLine());
            headed.step(countingBatch(new Random(1), 2), new Objective.Nll());
            headed.step(countingBatch(new Random(2), 2), new Objective.Nll());
            headed.saveState(dir);
        }
        try (Trainer other = new Trainer(model(11), config(64), Optional.empty(),
                Optional.of(new StateHead(16, 3, VALUES, 1.0, manager)))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> other.loadState(dir));
            assertTrue(e.oneLine().contains("slots or values"), e.oneLine());
        }
        try (Trainer headless = new Trainer(model(11), config(64))) {
            headless.loadState(dir);
            assertEquals(2, headless.steps());
            headless.step(countingBatch(new Random(3), 2), new Objective.Nll());
        }
    }

    @Test
    void targetsOutsideTheHeadAreSkippedAndAHeadOfAnotherWidthIsRefused() {
        Gpt2Model m = model(12);
        try (Trainer t = new Trainer(m, config(64), Optional.empty(), Optional.of(new StateHead(16, 1, 2, 1.0, manager)))) {
            EncodedSequence outside = new EncodedSequence(new int[] {1, 2}, new int[] {3}, List.of(), 1.0, new int[0],
                    OptionalDouble.empty(), "", List.of(new StateTarget(0, 1, 0), new StateTarget(1, 0, 5)));
            assertFalse(t.step(List.of(outside), new Objective.Nll()).terms().containsKey("state"));
        }
        assertThrows(IllegalArgumentException.class, () -> new Trainer(model(13), config(64), Optional.empty(),
                Optional.of(new StateHead(32, 1, 2, 1.0, manager))));
    }
}
