package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

    private NDManager manager;
    private NDArray matrix;
    private NDArray vector;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        matrix = manager.create(new double[] {0.5, -1.0, 2.0, 0.25}, new Shape(2, 2));
        vector = manager.create(new double[] {1.5, -0.5});
        matrix.setRequiresGradient(true);
        vector.setRequiresGradient(true);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Loss Σ c_k p_k² with c = 1..n, so the gradient is 2 c_k p_k. */
    private void backward() {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray c1 = manager.create(new double[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray c2 = manager.create(new double[] {5, 6});
            collector.backward(matrix.square().mul(c1).sum().add(vector.square().mul(c2).sum()));
        }
    }

    private static final double[] C = {1, 2, 3, 4, 5, 6};

    @Test
    void updatesAsTorchAdamWWithDecoupledDecayAndClipping() {
        OptimizerConfig config = new OptimizerConfig(0.1, 0.9, 0.99, 1e-8, 0.5, 3.0, null, null, null, null);
        double[] p = {0.5, -1.0, 2.0, 0.25, 1.5, -0.5};
        double[] m = new double[6];
        double[] v = new double[6];
        try (AdamW adam = new AdamW(new NDList(matrix, vector), config)) {
            assertEquals(0, adam.hostParameters(), "float64 parameters update as DJL operations");
            for (int step = 1; step <= 3; step++) {
                backward();
                double norm = adam.step(0.1);
                // The same update written out in doubles (torch.optim.AdamW + clip_grad_norm_).
                double[] g = new double[6];
                double sumSq = 0;
                for (int k = 0; k < 6; k++) {
                    g[k] = 2 * C[k] * p[k];
                    sumSq += g[k] * g[k];
                }
                double expectedNorm = Math.sqrt(sumSq);
                assertEquals(expectedNorm, norm, 1e-12);
                assertTrue(norm > 3.0, "the test should exercise clipping");
                for (int k = 0; k < 6; k++) {
                    g[k] *= 3.0 / (expectedNorm + 1e-6);
                    if (k < 4) {
                        p[k] *= 1 - 0.1 * 0.5; // decay on the matrix only
                    }
                    m[k] = 0.9 * m[k] + 0.1 * g[k];
                    v[k] = 0.99 * v[k] + 0.01 * g[k] * g[k];
                    double denominator = Math.sqrt(v[k]) / Math.sqrt(1 - Math.pow(0.99, step)) + 1e-8;
                    p[k] -= 0.1 / (1 - Math.pow(0.9, step)) * m[k] / denominator;
                }
                double[] actual = concat(matrix.toDoubleArray(), vector.toDoubleArray());
                assertArrayEquals(p, actual, 1e-12, "step " + step);
                assertArrayEquals(new double[4], matrix.getGradient().toDoubleArray(), 0.0, "gradients are zeroed");
            }
            assertEquals(3, adam.steps());
        }
    }

    @Test
    void skipsTheUpdateWhenTheGradientIsNotFinite() {
        try (AdamW adam = new AdamW(new NDList(matrix, vector), OptimizerConfig.defaults())) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(matrix.sqrt().sum().add(vector.sum())); // sqrt of a negative entry: NaN
            }
            double[] before = matrix.toDoubleArray();
            double norm = adam.step(0.1);
            assertFalse(Double.isFinite(norm));
            assertArrayEquals(before, matrix.toDoubleArray(), 0.0);
            assertEquals(0, adam.steps());
            assertArrayEquals(new double[4], matrix.getGradient().toDoubleArray(), 0.0);
            // The next, finite step proceeds normally.
            backward();
            assertTrue(Double.isFinite(adam.step(0.1)));
            assertEquals(1, adam.steps());
        }
    }

    @Test
    void loadRejectsStateOfOtherParameters() {
        try (AdamW adam = new AdamW(new NDList(matrix, vector), OptimizerConfig.defaults())) {
            backward();
            adam.step(0.1);
            adam.save(dir);
        }
        NDArray other = manager.zeros(new Shape(3, 2)).toType(matrix.getDataType(), false);
        try (AdamW adam = new AdamW(new NDList(other, vector), OptimizerConfig.defaults())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> adam.load(dir));
            assertTrue(e.source().endsWith(AdamW.META_FILE), e.oneLine());
            assertThrows(InvalidInputException.class, () -> adam.load(dir.resolve("missing")));
        }
    }

    @Test
    void loadRejectsACorruptStateFile() throws Exception {
        try (AdamW adam = new AdamW(new NDList(matrix, vector), OptimizerConfig.defaults())) {
            adam.save(dir);
            Files.write(dir.resolve(AdamW.STATE_FILE), new byte[] {1, 2, 3});
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> adam.load(dir));
            assertTrue(e.source().endsWith(AdamW.STATE_FILE), e.oneLine());
            Files.writeString(dir.resolve(AdamW.META_FILE), "{\"format\": \"something else\"}");
            assertThrows(InvalidInputException.class, () -> adam.load(dir));
        }
    }

    /**
     * The update as it runs on float32 host tensors (in Java, on views of their memory) against the update
     * written as DJL operations tensor by tensor: a GPT-2 model, clipping and decay active for the first
     * steps, then a step without clipping. Every parameter and the saved moments must agree to the last bit,
     * or the shipped models' reproduction breaks.
     */
    @Test
    void hostUpdateMatchesTheOperationByOperationUpdateBitForBit() throws IOException {
        Gpt2Config gpt = Gpt2Config.of(2, 32, 4, 16, 40, 39);
        OptimizerConfig config = new OptimizerConfig(0.01, 0.9, 0.99, 1e-8, 0.1, 0.5, null, null, null, null);
        try (Gpt2Model host = Gpt2Model.random(gpt, 3, manager);
                Gpt2Model perTensor = Gpt2Model.random(gpt, 3, manager);
                AdamW adam = new AdamW(host.parameters(), config)) {
            NDList reference = perTensor.parameters();
            assertEquals(reference.size(), adam.hostParameters());
            List<NDArray[]> moments = new ArrayList<>();
            for (NDArray p : reference) {
                moments.add(new NDArray[] {manager.zeros(p.getShape()), manager.zeros(p.getShape())});
            }
            for (int step = 1; step <= 5; step++) {
                double lr = 0.01 * step;
                // The last step's loss is scaled down so far that its gradient is not clipped.
                double lossScale = step == 5 ? 1e-4 : step;
                lmBackward(host, lossScale);
                lmBackward(perTensor, lossScale);
                double norm = adam.step(lr);
                double expectedNorm = perTensorStep(reference, moments, config, lr, step);
                assertEquals(expectedNorm, norm, 0.0, "norm at step " + step);
                assertEquals(step < 5, norm > 0.5, "clipping at step " + step + " (norm " + norm + ")");
                for (int i = 0; i < reference.size(); i++) {
                    assertArrayEquals(reference.get(i).toFloatArray(), host.parameters().get(i).toFloatArray(),
                            "parameter " + i + " at step " + step);
                }
            }
            adam.save(dir);
            try (NDList saved = NDList.decode(manager, Files.readAllBytes(dir.resolve(AdamW.STATE_FILE)))) {
                for (NDArray a : saved) {
                    String[] name = a.getName().split("\\.");
                    NDArray want = moments.get(Integer.parseInt(name[1]))[name[0].equals("exp_avg") ? 0 : 1];
                    assertArrayEquals(want.toFloatArray(), a.toFloatArray(), a.getName());
                    assertEquals(want.getShape(), a.getShape(), a.getName());
                }
            }
        }
    }

    /** A next-token loss of the model, times {@code scale}, on fixed ids that differ with the scale. */
    private void lmBackward(Gpt2Model model, double scale) {
        int step = (int) Math.ceil(scale);
        long[] ids = new long[2 * 8];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7L + step * 3L) % 39;
        }
        try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.logits(manager.create(ids, new Shape(2, 8)), manager.ones(new Shape(2, 8)));
            collector.backward(logits.logSoftmax(-1).get(":, :, 5").mean().neg().mul(manager.create((float) scale)));
        }
    }

    /** AdamW with clipping written as DJL operations, tensor by tensor (the plugin's first update). */
    private static double perTensorStep(NDList parameters, List<NDArray[]> moments, OptimizerConfig config, double lr, int step) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray sumOfSquares = null;
            for (NDArray p : parameters) {
                NDArray s = p.getGradient().square().sum();
                sumOfSquares = sumOfSquares == null ? s : sumOfSquares.add(s);
            }
            double norm = Math.sqrt(sumOfSquares.toType(DataType.FLOAT64, false).getDouble());
            double scale = norm > config.gradientClip() ? config.gradientClip() / (norm + 1e-6) : 1.0;
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray g = p.getGradient();
                if (scale != 1.0) {
                    g.muli(scale);
                }
                NDArray m = moments.get(i)[0];
                NDArray v = moments.get(i)[1];
                if (p.getShape().dimension() >= 2) {
                    p.muli(1.0 - lr * config.weightDecay());
                }
                m.muli(config.beta1()).addi(g.mul(1.0 - config.beta1()));
                v.muli(config.beta2()).addi(g.square().muli(1.0 - config.beta2()));
                NDArray denominator = v.sqrt().divi(Math.sqrt(1.0 - Math.pow(config.beta2(), step))).addi(config.epsilon());
                p.subi(m.div(denominator).muli(lr / (1.0 - Math.pow(config.beta1(), step))));
                g.subi(g);
            }
            return norm;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
