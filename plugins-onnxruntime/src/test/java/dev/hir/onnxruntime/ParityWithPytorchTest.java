package dev.hir.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Objective;
import dev.hir.api.TrainingSequence;
import dev.hir.onnxruntime.decode.DecoderSession;
import dev.hir.onnxruntime.export.Gpt2OnnxExporter;
import dev.hir.pytorch.PytorchPolicy;
import dev.hir.pytorch.PytorchPolicyConfig;
import dev.hir.pytorch.PytorchPolicyFactory;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.model.KvCache;
import dev.hir.pytorch.train.OptimizerConfig;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX Runtime policy against the PyTorch policy on a checkpoint the PyTorch policy wrote: a tiny random
 * GPT-2, trained two steps with a large learning rate so that biases and layer-norm gains are not at their
 * initial 0 and 1. Logits agree within 1e-4 with and without the cache under left padding; greedy and
 * sampled outputs are identical.
 */
class ParityWithPytorchTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;

    private static PytorchPolicy torch;
    private static OnnxRuntimePolicy ort;
    private static Path checkpoint;

    private static final List<String> PROMPTS = List.of("Q: 1 + 1\nA:", "x", "Hello there, is it the", "(A) or (B)?");

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        Path tokenizer = Files.copy(PythonFixture.dir().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        var optimizer = new OptimizerConfig(0.05, null, null, null, null, null, null, null, null, null);
        var config = PytorchPolicyConfig.fresh(tokenizer.toString(), new PytorchPolicyConfig.Init(2, 32, 4, 64), 11)
                .withOptimizer(optimizer);
        torch = (PytorchPolicy) new PytorchPolicyFactory().create(config, new TestingPluginContext(3, dir));
        for (int i = 0; i < 2; i++) {
            torch.train(List.of(TrainingSequence.supervised("Q: 1 + 1\nA:", " 2"),
                    TrainingSequence.supervised("Hello", " world, is the")), new Objective.Nll());
        }
        checkpoint = dir.resolve("checkpoint");
        torch.save(checkpoint);
        ort = (OnnxRuntimePolicy) new OnnxRuntimePolicyFactory().create(
                OnnxRuntimePolicyConfig.ofCheckpoint(checkpoint.toString()), TestingPluginContext.create());
    }

    @AfterAll
    static void close() {
        ort.close();
        torch.close();
    }

    /** Left-padded prompt ids of {@link #PROMPTS}: ids, positions, mask (1 = real). */
    private record Batch(int rows, int length, long[] ids, long[] positions, long[] mask) {
        static Batch of(List<int[]> prompts, int padId) {
            int length = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
            int rows = prompts.size();
            long[] ids = new long[rows * length];
            long[] pos = new long[rows * length];
            long[] mask = new long[rows * length];
            for (int r = 0; r < rows; r++) {
                int pad = length - prompts.get(r).length;
                for (int t = 0; t < length; t++) {
                    boolean real = t >= pad;
                    ids[r * length + t] = real ? prompts.get(r)[t - pad] : padId;
                    pos[r * length + t] = real ? t - pad : 0;
                    mask[r * length + t] = real ? 1 : 0;
                }
            }
            return new Batch(rows, length, ids, pos, mask);
        }

        /** PyTorch's additive attention bias: causal, no padding keys, a padding query sees itself. */
        float[] bias(int past) {
            int keys = past + length;
            float[] bias = new float[rows * length * keys];
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < length; t++) {
                    for (int k = 0; k < keys; k++) {
                        boolean real = mask[r * length + Math.min(t, length - 1)] == 1;
                        boolean allowed = k <= past + t && (keyReal(r, k) || (!real && k == past + t));
                        bias[(r * length + t) * keys + k] = allowed ? 0f : Gpt2Model.maskedScore();
                    }
                }
            }
            return bias;
        }

        private boolean keyReal(int r, int k) {
            return k >= length || mask[r * length + k] == 1;
        }
    }

    private static List<int[]> promptIds() {
        return PROMPTS.stream().map(ParityWithPytorchTest::encode).toList();
    }

    private static int[] encode(String text) {
        return torch.tokenizer().encode(text);
    }

    @Test
    void logitsMatchWithAndWithoutCacheUnderLeftPadding() {
        Gpt2Model model = torch.model();
        Batch prompt = Batch.of(promptIds(), model.config().eosTokenId());
        int vocab = model.config().vocabSize();
        byte[] onnx = Gpt2OnnxExporter.export(checkpoint).onnx();
        double prefillDiff = 0;
        double stepDiff = 0;
        try (NDManager m = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().nLayer());
                DecoderSession session = DecoderSession.open(onnx, new DecoderSession.Settings(1, OptLevel.ALL_OPT), "export");
                DecoderSession.Past empty = session.emptyPast(prompt.rows())) {
            float[] want = model.lmHead(model.forward(
                    m.create(prompt.ids(), new Shape(prompt.rows(), prompt.length())),
                    m.create(prompt.positions(), new Shape(prompt.rows(), prompt.length())),
                    m.create(prompt.bias(0), new Shape(prompt.rows(), 1, prompt.length(), prompt.length())),
                    cache)).toFloatArray();
            DecoderSession.Step got = session.run(prompt.ids(), prompt.mask(), prompt.positions(), prompt.rows(),
                    prompt.length(), empty, false, true);
            for (int i = 0; i < prompt.rows() * prompt.length(); i++) {
                if (prompt.mask()[i] == 1) {
                    for (int v = 0; v < vocab; v++) {
                        prefillDiff = Math.max(prefillDiff, Math.abs(want[i * vocab + v] - got.logits()[i * vocab + v]));
                    }
                }
            }
            DecoderSession.Past past = got.present().orElseThrow();
            // Three cached one-token steps; each row continues at its own next position.
            long[] lengths = PROMPTS.stream().mapToLong(p -> encode(p).length).toArray();
            for (int step = 0; step < 3; step++) {
                int keys = prompt.length() + step + 1;
                long[] next = new long[prompt.rows()];
                long[] pos = new long[prompt.rows()];
                long[] mask = new long[prompt.rows() * keys];
                float[] bias = new float[prompt.rows() * keys];
                for (int r = 0; r < prompt.rows(); r++) {
                    next[r] = 40 + 7 * r + step;
                    pos[r] = lengths[r] + step;
                    int pad = prompt.length() - (int) lengths[r];
                    for (int k = 0; k < keys; k++) {
                        mask[r * keys + k] = k < pad ? 0 : 1;
                        bias[r * keys + k] = k < pad ? Gpt2Model.maskedScore() : 0f;
                    }
                }
                float[] wantStep = model.lmHead(model.forward(m.create(next, new Shape(prompt.rows(), 1)),
                        m.create(pos, new Shape(prompt.rows(), 1)), m.create(bias, new Shape(prompt.rows(), 1, 1, keys)),
                        cache)).toFloatArray();
                DecoderSession.Step gotStep = session.run(next, mask, pos, prompt.rows(), 1, past, true, true);
                past.close();
                past = gotStep.present().orElseThrow();
                for (int i = 0; i < wantStep.length; i++) {
                    stepDiff = Math.max(stepDiff, Math.abs(wantStep[i] - gotStep.logits()[i]));
                }
            }
            past.close();
        }
        System.out.printf("parity with the PyTorch plugin: prefill %.2e, cached steps %.2e max abs%n", prefillDiff, stepDiff);
        assertTrue(prefillDiff < TOLERANCE, "prefill logits differ by " + prefillDiff);
        assertTrue(stepDiff < TOLERANCE, "cached-step logits differ by " + stepDiff);
    }

    @Test
    void greedyOutputsAreIdentical() {
        GenerationConfig greedy = GenerationConfig.greedy(12);
        assertSameGenerations(torch.generate(PROMPTS, greedy), ort.generate(PROMPTS, greedy));
    }

    @Test
    void sampledOutputsWithTheSameSeedAreIdentical() {
        var plain = GenerationConfig.sampling(3, 1.0, 10, 42);
        assertSameGenerations(torch.generate(PROMPTS, plain), ort.generate(PROMPTS, plain));
        var restricted = new GenerationConfig(2, true, 0.7, 20, 0.9, 10, List.of(" "), 7);
        assertSameGenerations(torch.generate(PROMPTS, restricted), ort.generate(PROMPTS, restricted));
    }

    @Test
    void logProbsAgree() {
        List<Continuation> continuations = List.of(new Continuation("Q: 1 + 1\nA:", " 2", true),
                new Continuation("x", "yz and more", false), new Continuation("Hello", "", false));
        double[] want = torch.logProbs(continuations);
        double[] got = ort.logProbs(continuations);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-3, "continuation " + i);
        }
    }

    @Test
    void aModelWithTheExactGeluExportsToTheSameFunction() throws IOException {
        Path tokenizer = dir.resolve("tokenizer.json");
        var config = PytorchPolicyConfig.fresh(tokenizer.toString(),
                new PytorchPolicyConfig.Init(2, 32, 4, 64, null, "gelu"), 12);
        Path exact = dir.resolve("exact-gelu");
        try (PytorchPolicy gelu = (PytorchPolicy) new PytorchPolicyFactory().create(config,
                new TestingPluginContext(3, dir))) {
            gelu.train(List.of(TrainingSequence.supervised("Q: 1 + 1\nA:", " 2")), new Objective.Nll());
            gelu.save(exact);
            assertTrue(Files.readString(exact.resolve("config.json")).contains("\"activation_function\": \"gelu\""));
            String graph = new String(Gpt2OnnxExporter.export(exact).onnx(), StandardCharsets.ISO_8859_1);
            assertTrue(graph.contains("Erf") && !graph.contains("Tanh"), "the exact GELU is exported as erf");
            try (OnnxRuntimePolicy exported = (OnnxRuntimePolicy) new OnnxRuntimePolicyFactory().create(
                    OnnxRuntimePolicyConfig.ofCheckpoint(exact.toString()), TestingPluginContext.create())) {
                List<Continuation> continuations = List.of(new Continuation("Q: 1 + 1\nA:", " 2", true),
                        new Continuation("x", "yz and more", false));
                double[] want = gelu.logProbs(continuations);
                double[] got = exported.logProbs(continuations);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-3, "continuation " + i);
                }
                GenerationConfig greedy = GenerationConfig.greedy(12);
                assertSameGenerations(gelu.generate(PROMPTS, greedy), exported.generate(PROMPTS, greedy));
            }
        }
    }

    private static void assertSameGenerations(List<List<Generation>> want, List<List<Generation>> got) {
        assertEquals(want.size(), got.size());
        for (int p = 0; p < want.size(); p++) {
            assertEquals(want.get(p).size(), got.get(p).size());
            for (int s = 0; s < want.get(p).size(); s++) {
                Generation w = want.get(p).get(s);
                Generation g = got.get(p).get(s);
                String where = "prompt " + p + " sample " + s;
                assertEquals(w.text(), g.text(), where);
                assertEquals(w.tokens(), g.tokens(), where);
                assertEquals(w.finishReason(), g.finishReason(), where);
                assertEquals(w.logProb(), g.logProb(), 1e-3, where);
            }
        }
    }
}
