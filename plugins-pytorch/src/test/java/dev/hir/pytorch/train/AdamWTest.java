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
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hir.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
