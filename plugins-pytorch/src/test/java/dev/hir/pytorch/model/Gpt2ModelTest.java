package dev.hir.pytorch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hir.pytorch.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2ModelTest {
    /** Made by src/test/python/make_gpt2_fixture.py with PyTorch; see that script. */
    static final Path FIXTURE = Path.of("src/test/resources/gpt2-tiny");

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void huggingFaceLayoutCheckpointMatchesPyTorchReferenceLogits() throws Exception {
        try (Gpt2Model model = Checkpoint.loadModel(FIXTURE, manager)) {
            assertEquals(2, model.config().nLayer());
            assertEquals(Activation.GELU_NEW, model.config().activation());
            double diff = maxDifferenceToReference(model, FIXTURE);
            assertTrue(diff < 1e-4, "max |logit difference| to PyTorch: " + diff);
        }
    }

    @Test
    void checkpointWithTheExactGeluMatchesPyTorchReferenceLogits() throws Exception {
        Path fixture = Path.of("src/test/resources/gpt2-tiny-gelu");
        try (Gpt2Model model = Checkpoint.loadModel(fixture, manager)) {
            assertEquals(Activation.GELU, model.config().activation());
            double diff = maxDifferenceToReference(model, fixture);
            assertTrue(diff < 1e-4, "max |logit difference| to PyTorch: " + diff);
        }
        // The same weights under gelu_new are another model: the test above can tell them apart.
        Gpt2Config tanh = Checkpoint.readConfig(fixture).withActivation(Activation.GELU_NEW);
        try (Gpt2Model model = Checkpoint.loadWeights(tanh, fixture.resolve(Checkpoint.WEIGHTS), manager)) {
            double diff = maxDifferenceToReference(model, fixture);
            assertTrue(diff > 1e-3, "gelu_new gives the exact GELU's logits within " + diff);
        }
    }

    @Test
    void exactGeluIsXPhiOfXWithItsGradient() {
        Gpt2Config config = Gpt2Config.of(1, 8, 2, 4, 10, 9).withActivation(Activation.GELU);
        double[] xs = {-4, -2.5, -1, -0.3, 0, 0.2, 0.7, 1.5, 3};
        try (Gpt2Model model = Gpt2Model.random(config, 1, manager); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = manager.create(xs);
            x.setRequiresGradient(true);
            double[] y;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = model.activation(x);
                y = out.toDoubleArray();
                collector.backward(out.sum());
            }
            double[] gradient = x.getGradient().toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                double phi = 0.5 * (1 + erf(xs[i] / Math.sqrt(2)));
                double density = Math.exp(-xs[i] * xs[i] / 2) / Math.sqrt(2 * Math.PI);
                assertEquals(xs[i] * phi, y[i], 1e-12, "gelu(" + xs[i] + ")");
                assertEquals(phi + xs[i] * density, gradient[i], 1e-12, "gelu'(" + xs[i] + ")");
            }
        }
    }

    @Test
    void activationFunctionRoundTripsThroughConfigJsonAndUnknownOnesAreRejected(@TempDir Path dir) throws IOException {
        Gpt2Config config = Gpt2Config.of(1, 8, 2, 4, 10, 9).withActivation(Activation.GELU);
        config.write(dir.resolve("config.json"));
        assertEquals(config, Gpt2Config.read(dir.resolve("config.json")));
        Files.writeString(dir.resolve("config.json"), config.toJson().replace("\"gelu\"", "\"relu\""));
        dev.hir.api.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.hir.api.InvalidInputException.class, () -> Gpt2Config.read(dir.resolve("config.json")));
        assertTrue(e.getMessage().contains("'relu' is not supported"), e.getMessage());
    }

    /** erf by its Maclaurin series, summed in double until the terms vanish (|x| up to 3 here). */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** The largest |logit difference| of the model to the fixture's PyTorch reference logits. */
    private static double maxDifferenceToReference(Gpt2Model model, Path fixture) throws IOException {
        JsonObject ref = JsonParser.parseString(Files.readString(fixture.resolve("reference-logits.json"))).getAsJsonObject();
        JsonArray ids = ref.getAsJsonArray("input_ids");
        int b = ids.size();
        int t = ids.get(0).getAsJsonArray().size();
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = ids.get(i).getAsJsonArray().get(j).getAsLong();
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.logits(manager.create(flat, new Shape(b, t)), manager.ones(new Shape(b, t)));
            int v = model.vocabSize();
            float[] got = logits.toFloatArray();
            double maxDiff = 0;
            JsonArray want = ref.getAsJsonArray("logits");
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    JsonArray row = want.get(i).getAsJsonArray().get(j).getAsJsonArray();
                    for (int k = 0; k < v; k++) {
                        maxDiff = Math.max(maxDiff, Math.abs(row.get(k).getAsDouble() - got[(i * t + j) * v + k]));
                    }
                }
            }
            return maxDiff;
        }
    }

    @Test
    void kvCacheDecodingGivesTheLogitsOfFullRecomputation() {
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 24, 50, 49);
        try (Gpt2Model model = Gpt2Model.random(config, 7, manager); NDScope scope = new NDScope()) {
            int t = 12;
            int prefill = 5;
            long[] ids = new long[t];
            for (int i = 0; i < t; i++) {
                ids[i] = (i * 7 + 3) % 50;
            }
            float[] full = model.logits(manager.create(ids, new Shape(1, t)), manager.ones(new Shape(1, t))).toFloatArray();
            try (KvCache cache = new KvCache(config.nLayer())) {
                long[] first = Arrays.copyOf(ids, prefill);
                NDArray positions = manager.arange(0L, prefill, 1L, DataType.INT64).reshape(1, prefill);
                NDArray bias = manager.create(Gpt2Model.causalBias(prefill), new Shape(1, 1, prefill, prefill));
                float[] got = model.lmHead(model.forward(manager.create(first, new Shape(1, prefill)), positions, bias, cache))
                        .toFloatArray();
                assertClose(full, 0, got, 0, prefill * 50);
                for (int s = prefill; s < t; s++) {
                    NDArray hidden = model.forward(manager.create(new long[] {ids[s]}, new Shape(1, 1)),
                            manager.create(new long[] {s}, new Shape(1, 1)), null, cache);
                    assertEquals(s + 1, cache.length());
                    assertClose(full, s * 50, model.lmHead(hidden).toFloatArray(), 0, 50);
                }
            }
        }
    }

    @Test
    void inferenceAndGradientPathsAgreeAlsoAfterAnInPlaceWeightUpdate() {
        // Without gradients, the model runs x W + b as one linear op on views of the weights made once;
        // an optimizer's in-place update must reach those views.
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 16, 40, 39);
        try (Gpt2Model model = Gpt2Model.random(config, 4, manager); NDScope scope = new NDScope()) {
            NDArray ids = manager.create(new long[] {1, 5, 9, 13, 2, 7, 30, 39}, new Shape(2, 4));
            float[] before = model.logits(ids, manager.ones(new Shape(2, 4))).toFloatArray();
            NDArray weight = model.namedParameters().get("transformer.h.1.mlp.c_fc.weight");
            boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                weight.muli(3);
            } finally {
                ai.djl.pytorch.jni.JniUtils.setGradMode(gradMode);
            }
            float[] inference = model.logits(ids, manager.ones(new Shape(2, 4))).toFloatArray();
            float[] withGradients;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                withGradients = model.logits(ids, manager.ones(new Shape(2, 4))).toFloatArray();
            }
            assertClose(withGradients, 0, inference, 0, inference.length);
            double changed = 0;
            for (int i = 0; i < before.length; i++) {
                changed = Math.max(changed, Math.abs(before[i] - inference[i]));
            }
            assertTrue(changed > 1e-4, "the update changed the logits by " + changed);
        }
    }

    @Test
    void gradientsDoNotDependOnGarbageCollectionBetweenForwardAndBackward() {
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 16, 40, 39);
        try (Gpt2Model model = Gpt2Model.random(config, 9, manager)) {
            float[] calm = gradientOfMlpWeight(model, false);
            float[] collected = gradientOfMlpWeight(model, true);
            assertTrue(Double.isFinite(sumAbs(calm)) && sumAbs(calm) > 0);
            assertArrayEquals(calm, collected);
        }
    }

    private float[] gradientOfMlpWeight(Gpt2Model model, boolean collectGarbage) {
        NDArray weight = model.namedParameters().get("transformer.h.0.mlp.c_fc.weight");
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = step.getEngine().newGradientCollector()) {
            long[] ids = {1, 5, 9, 13, 2, 7, 30, 39};
            NDArray logits = model.logits(step.create(ids, new Shape(2, 4)), step.ones(new Shape(2, 4)));
            NDArray loss = logits.logSoftmax(-1).mean();
            if (collectGarbage) {
                // Freed direct buffers get reused: a freed operand the backward pass still reads shows up.
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    List<ByteBuffer> filler = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4);
                        b.putFloat(0, Float.NaN);
                        filler.add(b);
                    }
                }
            }
            collector.backward(loss);
        }
        try (NDArray g = weight.getGradient()) {
            float[] out = g.toFloatArray();
            g.subi(g);
            return out;
        }
    }

    private static double sumAbs(float[] values) {
        double s = 0;
        for (float v : values) {
            s += Math.abs(v);
        }
        return s;
    }

    @Test
    void randomInitIsSeededAndFollowsGpt2Init() {
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 16, 40, 39);
        try (Gpt2Model a = Gpt2Model.random(config, 3, manager); Gpt2Model b = Gpt2Model.random(config, 3, manager);
                Gpt2Model c = Gpt2Model.random(config, 4, manager)) {
            String wte = "transformer.wte.weight";
            assertEquals(a.namedParameters().get(wte), b.namedParameters().get(wte));
            assertTrue(!a.namedParameters().get(wte).equals(c.namedParameters().get(wte)));
            float[] w = a.namedParameters().get(wte).toFloatArray();
            double sq = 0;
            for (float x : w) {
                sq += x * x;
            }
            assertEquals(0.02, Math.sqrt(sq / w.length), 0.003);
            assertEquals(config.parameterCount(),
                    a.namedParameters().values().stream().mapToLong(NDArray::size).sum());
            assertEquals(new Shape(32, 96), a.namedParameters().get("transformer.h.1.attn.c_attn.weight").getShape());
        }
    }

    @Test
    void sinusoidalPositionsChangeOnlyThePositionEmbeddingsAndKeepGpt2Scale() {
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 64, 40, 39);
        try (Gpt2Model plain = Gpt2Model.random(config, 3, manager);
                Gpt2Model sin = Gpt2Model.random(config, 3, manager, true)) {
            String wpe = "transformer.wpe.weight";
            for (String name : plain.namedParameters().keySet()) {
                if (!name.equals(wpe)) {
                    assertEquals(plain.namedParameters().get(name), sin.namedParameters().get(name), name);
                }
            }
            float[] table = sin.namedParameters().get(wpe).toFloatArray();
            double scale = 0.02 * Math.sqrt(2);
            // Position 5, column pair 2 (i = 4): sin and cos of 5 / 10000^(4/32).
            double angle = 5 / Math.pow(10_000, 4.0 / 32);
            assertEquals(Math.sin(angle) * scale, table[5 * 32 + 4], 1e-7);
            assertEquals(Math.cos(angle) * scale, table[5 * 32 + 5], 1e-7);
            // Position 0 is sin 0 = 0 and cos 0 = 1 in every column pair.
            assertEquals(0.0, table[0], 0.0);
            assertEquals(scale, table[1], 1e-7);
            double sq = 0;
            for (float x : table) {
                sq += x * x;
            }
            assertEquals(0.02, Math.sqrt(sq / table.length), 0.003);
        }
    }
    @Test
    void checkpointWrittenHereIsTheSameModelToPyTorch(@TempDir Path dir) throws Exception {
        assumeTrue(pythonWithTorch(), "needs /usr/bin/python3 with torch");
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 24, 50, 49);
        Path checkpoint = dir.resolve("ckpt");
        long[] ids = {3, 14, 15, 9, 26, 5, 35, 8};
        float[] ours;
        try (Gpt2Model model = Gpt2Model.random(config, 11, manager); NDScope scope = new NDScope()) {
            Checkpoint.write(checkpoint, model, "{}".getBytes(StandardCharsets.UTF_8),
                    Checkpoint.ExtraFiles.none());
            ours = model.logits(manager.create(ids, new Shape(1, ids.length)), manager.ones(new Shape(1, ids.length)))
                    .toFloatArray();
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "src/test/python/make_gpt2_fixture.py", "verify",
                checkpoint.toString(), "[" + Arrays.toString(ids) + "]").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes()));
        JsonArray rows = JsonParser.parseString(out).getAsJsonArray().get(0).getAsJsonArray();
        double maxDiff = 0;
        for (int t = 0; t < ids.length; t++) {
            JsonArray row = rows.get(t).getAsJsonArray();
            for (int v = 0; v < 50; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(row.get(v).getAsDouble() - ours[t * 50 + v]));
            }
        }
        assertTrue(maxDiff < 1e-4, "max |logit difference| to PyTorch: " + maxDiff);
    }

    private static boolean pythonWithTorch() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assertClose(float[] want, int wantOffset, float[] got, int gotOffset, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(want[wantOffset + i] - got[gotOffset + i]));
        }
        assertTrue(max < 1e-5, "max |difference| " + max);
    }
}
