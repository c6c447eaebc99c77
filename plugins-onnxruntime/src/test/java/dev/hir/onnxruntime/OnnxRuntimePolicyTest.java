package dev.hir.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's own behaviour: the PyTorch-exported model, reload (weight sync), configuration errors. */
class OnnxRuntimePolicyTest {
    @TempDir
    Path dir;

    private static OnnxRuntimePolicy create(OnnxRuntimePolicyConfig config) {
        return (OnnxRuntimePolicy) new OnnxRuntimePolicyFactory().create(config, TestingPluginContext.create());
    }

    @Test
    void modelExportedByPytorchGivesPytorchsGreedyContinuation() {
        JsonObject greedy = PythonFixture.expected().getAsJsonObject("greedy");
        int[] want = greedy.getAsJsonArray("tokens").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        Path model = PythonFixture.dir().resolve("model.onnx");
        try (OnnxRuntimePolicy policy = create(OnnxRuntimePolicyConfig.ofModel(model.toString(), null))) {
            Sample s = policy.generateSamples(List.of(greedy.get("prompt").getAsString()),
                    GenerationConfig.greedy(want.length)).get(0).get(0);
            assertArrayEquals(want, s.tokens());
        }
    }

    @Test
    void samplesDoNotDependOnTheBatchSize() {
        List<String> prompts = List.of("Hello", "Q: 1 + 1\nA:", "a much longer prompt than the others", "x");
        GenerationConfig cfg = new GenerationConfig(3, true, 1.3, 0, 1.0, 12, List.of("e"), 21);
        String checkpoint = PythonFixture.dir().toString();
        try (OnnxRuntimePolicy wide = create(OnnxRuntimePolicyConfig.ofCheckpoint(checkpoint));
                OnnxRuntimePolicy narrow = create(OnnxRuntimePolicyConfig.ofCheckpoint(checkpoint).withMaxBatchSize(2))) {
            List<List<Generation>> a = wide.generate(prompts, cfg);
            List<List<Generation>> b = narrow.generate(prompts, cfg);
            for (int p = 0; p < prompts.size(); p++) {
                for (int s = 0; s < 3; s++) {
                    assertEquals(a.get(p).get(s).text(), b.get(p).get(s).text(), "prompt " + p + " sample " + s);
                    assertEquals(a.get(p).get(s).logProb(), b.get(p).get(s).logProb(), 1e-4);
                }
            }
            assertTrue(a.stream().flatMap(List::stream).anyMatch(g -> g.finishReason() == Generation.FinishReason.STOP_STRING),
                    "some sample should stop at the stop string, so that rows finish at different steps");
        }
    }

    @Test
    void modelWithoutPositionIdsInputGivesTheSameSamplesWithoutLeftPadding() {
        Path dir = PythonFixture.dir();
        List<String> prompts = List.of("Hello", "Q: 1 + 1\nA:", "x", "Hi!!!", "a longer prompt, to be padded");
        GenerationConfig cfg = new GenerationConfig(2, true, 1.0, 0, 1.0, 8, List.of("o"), 3);
        List<Continuation> scored = List.of(new Continuation("Hello", " world", true), new Continuation("x", "yz", false));
        try (OnnxRuntimePolicy with = create(OnnxRuntimePolicyConfig.ofModel(dir.resolve("model.onnx").toString(), null));
                OnnxRuntimePolicy without = create(OnnxRuntimePolicyConfig.ofModel(
                        dir.resolve("model-without-position-ids.onnx").toString(), null))) {
            List<List<Generation>> a = with.generate(prompts, cfg);
            List<List<Generation>> b = without.generate(prompts, cfg);
            for (int p = 0; p < prompts.size(); p++) {
                for (int s = 0; s < 2; s++) {
                    assertEquals(a.get(p).get(s).text(), b.get(p).get(s).text(), "prompt " + p + " sample " + s);
                    assertEquals(a.get(p).get(s).logProb(), b.get(p).get(s).logProb(), 1e-4);
                }
            }
            assertArrayEquals(with.logProbs(scored), without.logProbs(scored), 1e-4);
        }
    }

    @Test
    void generatingBeforeTheFirstReloadIsAnIllegalState() {
        try (OnnxRuntimePolicy policy = create(OnnxRuntimePolicyConfig.empty())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> policy.generate(List.of("x"), GenerationConfig.greedy(2)));
            assertTrue(e.getMessage().contains("reload"), e.getMessage());
        }
    }

    @Test
    void reloadSwitchesToTheNewWeightsAndAFailedReloadKeepsTheOld() throws IOException {
        Path other = dir.resolve("other");
        Checkpoints.copyWithScaledWeights(PythonFixture.dir(), other, 1.7f);
        List<String> prompts = List.of("Hello", "Q: 1 + 1\nA:");
        GenerationConfig cfg = GenerationConfig.sampling(2, 1.0, 6, 5);
        List<List<Generation>> fromFixture;
        List<List<Generation>> fromOther;
        try (OnnxRuntimePolicy a = create(OnnxRuntimePolicyConfig.ofCheckpoint(PythonFixture.dir().toString()));
                OnnxRuntimePolicy b = create(OnnxRuntimePolicyConfig.ofCheckpoint(other.toString()))) {
            fromFixture = a.generate(prompts, cfg);
            fromOther = b.generate(prompts, cfg);
        }
        assertNotEquals(fromFixture, fromOther, "the two checkpoints should sample differently");
        try (OnnxRuntimePolicy policy = create(OnnxRuntimePolicyConfig.empty())) {
            policy.reload(PythonFixture.dir());
            assertEquals(fromFixture, policy.generate(prompts, cfg));
            policy.reload(other);
            assertEquals(fromOther, policy.generate(prompts, cfg));
            Path broken = dir.resolve("broken");
            Checkpoints.copyWithScaledWeights(PythonFixture.dir(), broken, 1f);
            Files.write(broken.resolve("model.safetensors"), new byte[] {1, 2, 3});
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> policy.reload(broken));
            assertTrue(e.source().endsWith("model.safetensors"), e.oneLine());
            assertEquals(fromOther, policy.generate(prompts, cfg), "a failed reload must keep the old weights");
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertEquals("intraOpThreads", assertThrows(InvalidInputException.class,
                () -> new OnnxRuntimePolicyConfig(null, null, null, -1, null, null, null)).source());
        assertEquals("optimizationLevel", assertThrows(InvalidInputException.class,
                () -> new OnnxRuntimePolicyConfig(null, null, null, null, "max", null, null)).source());
        assertEquals("model", assertThrows(InvalidInputException.class,
                () -> new OnnxRuntimePolicyConfig("a", "b", null, null, null, null, null)).source());
        assertEquals("contextOverflow", assertThrows(InvalidInputException.class,
                () -> new OnnxRuntimePolicyConfig(null, null, null, null, null, null, "drop")).source());
        OnnxRuntimePolicyConfig defaults = OnnxRuntimePolicyConfig.empty();
        assertEquals(0, defaults.intraOpThreads(), "0: the run's compute threads");
        assertEquals(64, defaults.maxBatchSize());
    }

    @Test
    void promptLongerThanTheContextFailsWhenConfiguredTo() {
        var config = OnnxRuntimePolicyConfig.ofCheckpoint(PythonFixture.dir().toString()).withContextOverflow("error");
        try (OnnxRuntimePolicy policy = create(config)) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> policy.generate(List.of("x".repeat(80)), GenerationConfig.greedy(4)));
            assertEquals("prompts[0]", e.source());
        }
        try (OnnxRuntimePolicy policy = create(config.withContextOverflow("truncate-left"))) {
            Generation g = policy.generate(List.of("x".repeat(80)), GenerationConfig.greedy(4)).get(0).get(0);
            assertTrue(g.tokens() >= 1);
        }
    }
}
