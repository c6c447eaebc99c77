package dev.hir.onnxruntime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Policy;
import dev.hir.onnxruntime.decode.DecoderSession;
import dev.hir.onnxruntime.export.Gpt2OnnxExporter;
import dev.hir.pytorch.PytorchPolicyConfig;
import dev.hir.pytorch.PytorchPolicyFactory;
import dev.hir.pytorch.checkpoint.Checkpoint;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A rough measurement by hand (not a unit test, not the benchmark suite): export and session-creation
 * time, and new tokens per second of the onnxruntime policy against the pytorch policy, one thread each,
 * one after the other, on random GPT-2 checkpoints of FEASIBILITY.md's two sizes.
 *
 * <p>Run: {@code java -cp <test class path> dev.hir.onnxruntime.RolloutMeasurement [new-tokens] [repeats]}.
 */
public final class RolloutMeasurement {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private RolloutMeasurement() {}

    private record Size(String name, int layers, int width, int heads, int positions, int vocab) {}

    public static void main(String[] args) throws Exception {
        int newTokens = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("ort-measure");
        byte[] tokenizer = Files.readAllBytes(PythonFixture.dir().resolve("tokenizer.json"));
        String only = args.length > 2 ? args[2] : "ab";
        for (Size size : List.of(new Size("a", 2, 128, 4, 128, 512), new Size("b", 4, 256, 8, 256, 2048))) {
            if (!only.contains(size.name())) {
                continue;
            }
            Path checkpoint = dir.resolve("checkpoint-" + size.name());
            try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                    Gpt2Model model = Gpt2Model.random(Gpt2Config.of(size.layers(), size.width(), size.heads(),
                            size.positions(), size.vocab(), 256), 1, manager)) {
                Checkpoint.write(checkpoint, model, tokenizer, folder -> {});
                System.out.printf(Locale.ROOT, "%n== config %s: %d parameters ==%n", size.name(),
                        model.config().parameterCount());
            }
            byte[][] onnx = new byte[1][];
            double export = median(repeats + 2, () -> onnx[0] = Gpt2OnnxExporter.export(checkpoint).onnx());
            double session = median(repeats + 2, () -> {
                DecoderSession.open(onnx[0], new DecoderSession.Settings(1, OptLevel.ALL_OPT), "m").close();
                return null;
            });
            System.out.printf(Locale.ROOT, "export %.1f ms (%.1f MB), session creation %.1f ms%n", export,
                    onnx[0].length / 1e6, session);
            var context = TestingPluginContext.create();
            try (var ort = (OnnxRuntimePolicy) new OnnxRuntimePolicyFactory().create(OnnxRuntimePolicyConfig.empty(), context)) {
                double reload = median(repeats + 2, () -> {
                    ort.reload(checkpoint);
                    return null;
                });
                System.out.printf(Locale.ROOT, "reload (export + session + swap) %.1f ms%n", reload);
                throughput("onnxruntime", ort, size, newTokens, repeats);
            }
            if (args.length > 3 && args[3].equals("ort-only")) {
                continue;
            }
            try (Policy torch = new PytorchPolicyFactory().create(PytorchPolicyConfig.ofCheckpoint(checkpoint.toString()), context)) {
                throughput("pytorch", torch, size, newTokens, repeats);
            }
        }
    }

    private static void throughput(String engine, Policy policy, Size size, int newTokens, int repeats) {
        String prompt = "Q: Which is first, (A) or (B)? The answer is the one that";
        for (int batch : new int[] {1, 32}) {
            List<String> prompts = Collections.nCopies(batch, prompt);
            // Distinct samples (n per prompt would share nothing): one prompt per row, sampled with one seed.
            GenerationConfig cfg = GenerationConfig.sampling(1, 1.0, newTokens, 17);
            policy.generate(prompts, cfg);
            List<Double> rates = new ArrayList<>();
            List<Double> cpuRates = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long tokens = 0;
                for (List<Generation> gs : policy.generate(prompts, cfg.withSeed(r))) {
                    for (Generation g : gs) {
                        tokens += g.tokens();
                    }
                }
                rates.add(tokens / ((System.nanoTime() - start) / 1e9));
                cpuRates.add(tokens / ((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9));
            }
            Collections.sort(rates);
            Collections.sort(cpuRates);
            // With one compute thread both engines compute on the calling thread, so tokens per second of
            // that thread's CPU time is robust to other processes sharing the cores; wall time is not.
            System.out.printf(Locale.ROOT, "%-12s config %s batch %2d: %8.0f new tokens/s wall (runs %s), %8.0f per CPU-second%n",
                    engine, size.name(), batch, rates.get(rates.size() / 2),
                    Arrays.toString(rates.stream().mapToLong(Math::round).toArray()), cpuRates.get(cpuRates.size() / 2));
        }
    }

    private static double median(int runs, Supplier<Object> work) {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        // The first run warms up class loading and native code; the median of the rest is reported.
        double[] rest = Arrays.copyOfRange(ms, 1, runs);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }
}
