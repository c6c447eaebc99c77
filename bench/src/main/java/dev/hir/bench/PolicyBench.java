package dev.hir.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Objective;
import dev.hir.api.TokenSampler;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.core.plugin.RunPluginContext;
import dev.hir.pytorch.PytorchPolicy;
import dev.hir.pytorch.PytorchPolicyConfig;
import dev.hir.pytorch.PytorchPolicyFactory;
import dev.hir.pytorch.model.Activation;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.model.KvCache;
import dev.hir.pytorch.model.StepDecoder;
import dev.hir.pytorch.sampling.Sample;
import dev.hir.pytorch.sampling.Sampler;
import dev.hir.pytorch.tokenizer.BpeTrainer;
import dev.hir.pytorch.tokenizer.ByteLevelBpe;
import dev.hir.pytorch.tokenizer.HfTextTokenizer;
import dev.hir.pytorch.train.AdamW;
import dev.hir.pytorch.train.EncodedSequence;
import dev.hir.pytorch.train.ObjectiveLoss;
import dev.hir.pytorch.train.OptimizerConfig;
import dev.hir.pytorch.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Measures the {@code pytorch} policy's engine with the plugin's own classes: training tokens/s
 * ({@link Trainer}, NLL, AdamW), KV-cache sampling new tokens/s ({@link Sampler}), the DJL matmul ceiling,
 * DJL's per-op cost, and resident memory over many {@link PytorchPolicy} training steps and generate calls.
 * {@code bench/python/gpt2_bench.py} measures the same workloads in plain PyTorch; {@code
 * bench/run-policy-bench.sh} runs both and tabulates them (docs/performance.md).
 *
 * <p>Usage: {@code PolicyBench [--threads N] [--configs a,b] [--sections ceiling,ops,train,sample,check,memory]
 * [--runs 5] [--memory-steps 1000] [--memory-calls train,trainer,generate] [--activation gelu_new|gelu] [--work DIR]
 * --out FILE.json}; {@code --activation} sets the MLP activation of the train, sample and check sections' models.
 */
public final class PolicyBench {
    static final int TRAIN_LENGTH = 128;
    static final int PROMPT = 16;
    static final int NEW_TOKENS = 112;
    static final int[] BATCHES = {1, 32};
    static final double LEARNING_RATE = 3e-4;
    static final double WEIGHT_DECAY = 0.01;
    static final double GRADIENT_CLIP = 1.0;

    private final int threads;
    private final int runs;
    private final Path work;

    private PolicyBench(int threads, int runs, Path work) {
        this.threads = threads;
        this.runs = runs;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--threads", "1");
        options.put("--configs", "a,b");
        options.put("--sections", "ceiling,train,sample,memory");
        options.put("--runs", "5");
        options.put("--memory-steps", "1000");
        options.put("--memory-calls", "train,generate");
        options.put("--work", System.getProperty("java.io.tmpdir") + "/hir-policy-bench");
        options.put("--out", "");
        options.put("--activation", Activation.GELU_NEW.configName());
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: PolicyBench [--threads N] [--configs a,b] "
                        + "[--sections ceiling,ops,train,sample,check,memory] [--runs 5] [--memory-steps 1000] "
                        + "[--memory-calls train,trainer,generate] [--activation gelu_new|gelu] [--work DIR] --out FILE.json");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        int threads = Integer.parseInt(options.get("--threads"));
        Path work = Path.of(options.get("--work"));
        Files.createDirectories(work);
        // Load the engine, then set the thread count in the native library it loaded (as the policy does).
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        PolicyBench bench = new PolicyBench(threads, Integer.parseInt(options.get("--runs")), work);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", "DJL " + Engine.getDjlVersion() + " PyTorch " + Engine.getEngine("PyTorch").getVersion());
        result.put("threads", threads);
        result.put("activation", options.get("--activation"));
        result.put("intra_op_threads", JniUtils.getNumThreads());
        result.put("interop_threads", JniUtils.getNumInteropThreads());
        List<String> sections = List.of(options.get("--sections").split(","));
        if (sections.contains("ceiling")) {
            result.put("matmul_ceiling", bench.matmulCeiling());
            result.put("tiny_op", bench.tinyOpCost());
            log("ceiling " + result.get("matmul_ceiling"));
        }
        if (sections.contains("ops")) {
            result.put("decode_ops_us", bench.decodeOpCosts());
            log("decode ops " + result.get("decode_ops_us"));
        }
        Map<String, Object> configs = new LinkedHashMap<>();
        for (String name : options.get("--configs").split(",")) {
            BenchModel model = BenchModel.named(name)
                    .withActivation(Activation.fromConfigName(options.get("--activation"), "--activation"));
            Map<String, Object> rows = new LinkedHashMap<>();
            rows.put("parameters", model.gpt2Config().parameterCount());
            if (sections.contains("train")) {
                rows.put("train", bench.training(model));
            }
            if (sections.contains("sample")) {
                rows.put("sample", bench.sampling(model));
            }
            if (sections.contains("check")) {
                rows.put("check", bench.writeReference(model));
            }
            configs.put(name, rows);
        }
        result.put("configs", configs);
        if (sections.contains("memory")) {
            result.put("memory", bench.memory(Integer.parseInt(options.get("--memory-steps")),
                    List.of(options.get("--memory-calls").split(","))));
        }
        Json.emit(result, options.get("--out"));
    }

    private static void log(String message) {
        System.err.println("[PolicyBench] " + message);
    }

    /** GFLOP/s of a 1024×1024 float matmul: the most the model's matmuls can reach on this CPU. */
    private Map<String, Object> matmulCeiling() {
        int n = 1024;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray y = manager.randomUniform(-1f, 1f, new Shape(n, n));
            Runs.Timing seconds = Runs.time(2, runs, 10, () -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    x.matMul(y);
                }
            });
            return Runs.rate(seconds, 10, 1, 2.0 * n * n * n);
        }
    }

    /** Microseconds of one tiny op ({@code add} on a 1×8 array): DJL's and libtorch's fixed cost per op. */
    private Map<String, Object> tinyOpCost() {
        int ops = 2000;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.ones(new Shape(1, 8));
            Runs.Timing seconds = Runs.time(1, runs, 1, () -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    for (int i = 0; i < ops; i++) {
                        a.add(a);
                    }
                }
            });
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("us_per_op", seconds.medianWall() / ops * 1e6);
            return row;
        }
    }

    /**
     * Microseconds per call of the ops of one cached decoding step at batch 1 on config (b)'s shapes (a
     * 64-token cache): what a step costs op by op when the arithmetic is tiny.
     */
    private Map<String, Object> decodeOpCosts() {
        BenchModel spec = BenchModel.B;
        int d = spec.nEmbd();
        int h = spec.nHead();
        int hs = d / h;
        int past = 64;
        Map<String, Object> out = new LinkedHashMap<>();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(spec.gpt2Config(), 4, m)) {
            NDArray x = m.randomNormal(new Shape(1, 1, d));
            NDArray w = m.randomNormal(new Shape(d, 3 * d));
            NDArray bias = m.zeros(new Shape(3 * d));
            NDArray gain = m.ones(new Shape(d));
            NDArray shift = m.zeros(new Shape(d));
            NDArray y = m.randomNormal(new Shape(1, 1, 3 * d));
            NDArray cache = m.randomNormal(new Shape(1, h, past, hs));
            NDArray step = m.randomNormal(new Shape(1, h, 1, hs));
            NDArray heads = m.randomNormal(new Shape(1, 1, h, hs));
            NDArray scores = m.randomNormal(new Shape(1, h, 1, past + 1));
            NDArray hidden = m.randomNormal(new Shape(1, d));
            NDArray logits = m.randomNormal(new Shape(1, spec.vocabSize()));
            NDArray mlp = m.randomNormal(new Shape(1, 1, 4 * d));
            Shape norm = new Shape(d);
            Map<String, Runnable> ops = new LinkedHashMap<>();
            ops.put("matMul [1,1,256]x[256,768]", () -> x.matMul(w));
            ops.put("add bias [1,1,768]", () -> y.add(bias));
            ops.put("layerNorm [1,1,256]", () -> x.getNDArrayInternal().layerNorm(x, norm, gain, shift, 1e-5f));
            ops.put("split into q,k,v", () -> y.split(3, 2));
            ops.put("reshape", () -> y.reshape(1, 1, 3 * h, hs));
            ops.put("transpose(0,2,1,3)", () -> heads.transpose(0, 2, 1, 3));
            ops.put("concat cache [1,8,64,32]+[1,8,1,32]", () -> cache.concat(step, 2));
            ops.put("softmax [1,8,1,65]", () -> scores.softmax(-1));
            NDArray cubic = m.create(0.044715f);
            NDArray scale = m.create((float) (2 * Math.sqrt(2 / Math.PI)));
            // Gpt2Model's gelu_new, op for op (it is package-private there).
            ops.put("GELU as Gpt2Model computes it (7 ops)", () -> mlp.mul(
                    mlp.mul(mlp).mul(mlp).muli(cubic).addi(mlp).muli(scale).getNDArrayInternal().sigmoid()));
            ops.put("LM head + logSoftmax [1,2048]", () -> Linear.linear(hidden, model.namedParameters()
                    .get(Gpt2Model.PREFIX + "wte.weight")).head().logSoftmax(-1));
            ops.put("toFloatArray [1,2048]", logits::toFloatArray);
            for (Map.Entry<String, Runnable> e : ops.entrySet()) {
                int calls = 500;
                Runs.Timing t = Runs.time(1, runs, 1, () -> {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        for (int i = 0; i < calls; i++) {
                            e.getValue().run();
                        }
                    }
                });
                out.put(e.getKey(), t.medianWall() / calls * 1e6);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    /**
     * Writes what the Python script needs to check that it computes the same function: the weights of a
     * random model ({@code model.safetensors}), token ids ({@code ids.json}) and the model's logits for them
     * ({@code logits.f32}, little-endian float32 {@code [2, 20, V]}), in {@code <work>/check-<cfg>/}.
     */
    private Map<String, Object> writeReference(BenchModel spec) throws Exception {
        Path dir = work.resolve("check-" + spec.name());
        Files.createDirectories(dir);
        int rows = 2;
        int length = 20;
        Random random = new Random(14);
        long[] ids = new long[rows * length];
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(spec.vocabSize());
            json.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        Files.writeString(dir.resolve("ids.json"), json.append("]\n"));
        try (NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(spec.gpt2Config(), 5, manager)) {
            dev.hir.pytorch.checkpoint.Checkpoint.writeWeights(dir.resolve("model.safetensors"), model);
            try (NDManager step = manager.newSubManager()) {
                NDArray logits = model.logits(step.create(ids, new Shape(rows, length)),
                        step.ones(new Shape(rows, length)));
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(Math.toIntExact(logits.size() * 4))
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(logits.toFloatArray());
                Files.write(dir.resolve("logits.f32"), bytes.array());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", dir.toString());
        return out;
    }

    private static OptimizerConfig optimizer() {
        return new OptimizerConfig(LEARNING_RATE, 0.9, 0.999, 1e-8, WEIGHT_DECAY, GRADIENT_CLIP, "constant", 0, null, 64);
    }

    /** Training tokens/s: one {@link Trainer#step} = NLL forward, backward, clipping and AdamW on B × 128 tokens. */
    private Map<String, Object> training(BenchModel spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        Random random = new Random(11);
        try (NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(spec.gpt2Config(), 1, manager);
                Trainer trainer = new Trainer(model, optimizer())) {
            for (int batchSize : BATCHES) {
                List<EncodedSequence> batch = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    // One prompt token and 128 targets: 128 input positions, each predicting the next token.
                    int[] tokens = randomTokens(random, TRAIN_LENGTH + 1, spec.vocabSize());
                    batch.add(new EncodedSequence(new int[] {tokens[0]}, java.util.Arrays.copyOfRange(tokens, 1, tokens.length),
                            List.of(), 1.0, new int[0], OptionalDouble.empty(), "g" + i));
                }
                Objective nll = new Objective.Nll();
                double flops = spec.trainingFlops(batchSize, TRAIN_LENGTH);
                int calls = callsFor(flops * 3);
                Runs.Timing seconds = Runs.time(2, runs, calls, () -> trainer.step(batch, nll));
                Map<String, Object> row = Runs.rate(seconds, calls, batchSize * TRAIN_LENGTH, flops);
                row.put("rss_mb", ResidentMemory.megabytes());
                row.putAll(trainingBreakdown(spec, batch, calls));
                out.put("b" + batchSize, row);
                log(spec.name() + " train B=" + batchSize + " " + row);
            }
        }
        return out;
    }

    /**
     * Seconds per step of the parts of a training step, on a fresh model: the NLL forward pass (grad mode off),
     * forward and backward, and the AdamW update with clipping (the plugin's {@link AdamW}). The update is
     * timed as forward, backward and update minus forward and backward, timed one after the other, so that it
     * sees real gradients. Updates timed alone run on the zero gradients the first one leaves: over the 2-second
     * warm-up the first moments decay into subnormal floats (in effect all of them after 750 such updates,
     * measured in torch), and each update then took 3-4 times a real one (torch 9.5 against 2.7 ms on config
     * a). What the trainer's step takes beyond forward, backward and update is its own bookkeeping.
     */
    private Map<String, Object> trainingBreakdown(BenchModel spec, List<EncodedSequence> batch, int calls) {
        ObjectiveLoss loss = ObjectiveLoss.of(new Objective.Nll(), Optional.empty());
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(spec.gpt2Config(), 3, manager);
                AdamW adamW = new AdamW(model.parameters(), optimizer())) {
            Runs.Timing forward = Runs.time(2, runs, calls, () -> {
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    loss.compute(model, step, batch);
                }
            });
            Runnable forwardBackward = () -> {
                try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager();
                        GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    scope.suppressNotUsedWarning();
                    collector.backward(loss.compute(model, step, batch).tensor());
                }
            };
            Runs.Timing backward = Runs.time(2, runs, calls, forwardBackward);
            Runs.Timing withUpdate = Runs.time(2, runs, calls, () -> {
                forwardBackward.run();
                adamW.step(LEARNING_RATE);
            });
            Runs.Timing withFusedUpdate = fusedUpdate(model, calls, forwardBackward);
            double backwardSeconds = backward.medianWall() / calls;
            out.put("forward_s", forward.medianWall() / calls);
            out.put("forward_backward_s", backwardSeconds);
            out.put("optimizer_s", withUpdate.medianWall() / calls - backwardSeconds);
            out.put("fused_update_s", withFusedUpdate.medianWall() / calls - backwardSeconds);
        }
        return out;
    }

    /**
     * Timings of forward, backward and what an update costs with DJL's fused Adam kernel
     * ({@code NDArrayEx.adamUpdate} with its AdamW flag: one native call per parameter tensor), plus reading and
     * zeroing each gradient. Its numbers are not checked against the plugin's AdamW (no clipping here); it
     * measures the headroom of fewer native calls, not a drop-in replacement.
     */
    private Runs.Timing fusedUpdate(Gpt2Model model, int calls, Runnable forwardBackward) {
        List<NDArray> parameters = model.parameters();
        List<NDArray[]> moments = new ArrayList<>();
        for (NDArray p : parameters) {
            NDArray m = model.manager().zeros(p.getShape());
            NDArray v = model.manager().zeros(p.getShape());
            NDScope.unregister(m, v);
            moments.add(new NDArray[] {m, v});
        }
        try {
            return Runs.time(2, runs, calls, () -> {
                forwardBackward.run();
                boolean gradMode = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    for (int i = 0; i < parameters.size(); i++) {
                        NDArray p = parameters.get(i);
                        NDArray g = p.getGradient();
                        NDArray[] mv = moments.get(i);
                        p.getNDArrayInternal().adamUpdate(new NDList(p, g, mv[0], mv[1]), new NDList(p),
                                (float) LEARNING_RATE, 1f, (float) WEIGHT_DECAY, 1f, -1f, 0.9f, 0.999f, 1e-8f, true,
                                true);
                        g.subi(g);
                    }
                } finally {
                    JniUtils.setGradMode(gradMode);
                }
            });
        } finally {
            for (NDArray[] mv : moments) {
                mv[0].close();
                mv[1].close();
            }
        }
    }

    /**
     * Calls per timed run: enough for about half a second of work at an assumed 40 GFLOP/s, so the
     * small workloads are not timed from a single call.
     */
    private int callsFor(double flops) {
        return (int) Math.max(1, Math.min(50, Math.round(0.5 * 40e9 * threads / flops)));
    }

    private static int[] randomTokens(Random random, int length, int bound) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = random.nextInt(bound - 1);
        }
        return ids;
    }

    /** The project's BPE tokenizer, trained on synthetic text, with exactly {@code vocabSize} ids. */
    private Path tokenizer(int vocabSize, String name) throws Exception {
        Path file = work.resolve(name + "-tokenizer.json");
        BpeTrainer.Result trained = new BpeTrainer(BpeTrainer.Config.ofVocabSize(vocabSize))
                .train(new SyntheticText(3).paragraphs(4000, 40));
        ByteLevelBpe vocabulary = trained.vocabulary();
        if (vocabulary.vocabSize() != vocabSize) {
            throw new IllegalStateException("the corpus gave " + vocabulary.vocabSize() + " tokens, not " + vocabSize);
        }
        vocabulary.writeTokenizerJson(file);
        return file;
    }

    /**
     * Cached sampling new tokens/s: {@link Sampler#generate} with temperature 1 on B prompts of 16 tokens,
     * 112 new tokens each (no early stop, see {@link EosFreeTokenizer}). Also the same decoding loop with
     * the model alone (greedy choice in libtorch, no copy to Java), and the Java-side choice of the next
     * token alone, to show where a step's time goes.
     */
    private Map<String, Object> sampling(BenchModel spec) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Random random = new Random(12);
        Path tokenizerFile = tokenizer(spec.vocabSize() - 1, spec.name());
        try (NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(spec.gpt2Config(), 2, manager);
                EosFreeTokenizer tokenizer = new EosFreeTokenizer(
                        HfTextTokenizer.load(tokenizerFile, Optional.empty()), spec.vocabSize())) {
            Sampler sampler = new Sampler(model, tokenizer, 64);
            Sampler libtorchSampler = new Sampler(model, tokenizer, 64).withLibtorchStepsOnly();
            for (int batchSize : BATCHES) {
                List<int[]> prompts = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    prompts.add(randomTokens(random, PROMPT, spec.vocabSize()));
                }
                long[] seed = {0};
                double flops = spec.samplingFlops(batchSize, PROMPT, NEW_TOKENS);
                int calls = batchSize == 1 ? 3 : 1;
                Runs.Timing seconds = Runs.time(1, runs, calls, () -> {
                    List<List<Sample>> samples = sampler.generate(prompts,
                            GenerationConfig.sampling(1, 1.0, NEW_TOKENS, seed[0]++));
                    for (List<Sample> s : samples) {
                        if (s.get(0).tokens().length != NEW_TOKENS) {
                            throw new IllegalStateException("a sample stopped after " + s.get(0).tokens().length + " tokens");
                        }
                    }
                });
                Map<String, Object> row = Runs.rate(seconds, calls, batchSize * NEW_TOKENS, flops);
                row.put("rss_mb", ResidentMemory.megabytes());
                // Which steps the Sampler took (its capacity: the prompt, then all but the last new token), and
                // the same calls with every step as libtorch operations, measured next to it.
                row.put("java_steps", StepDecoder.suits(model.config(), batchSize, PROMPT - 1L + NEW_TOKENS));
                Runs.Timing libtorchSteps = Runs.time(1, runs, calls, () -> libtorchSampler.generate(prompts,
                        GenerationConfig.sampling(1, 1.0, NEW_TOKENS, seed[0]++)));
                row.put("libtorch_steps_per_s", batchSize * NEW_TOKENS * calls / libtorchSteps.medianWall());

                Runs.Timing modelOnly = Runs.time(1, runs, calls, () -> greedyModelLoop(model, prompts));
                row.put("model_only_per_s", batchSize * NEW_TOKENS * calls / modelOnly.medianWall());
                row.put("model_only_per_cpu_s", batchSize * NEW_TOKENS * calls / modelOnly.medianCpu());
                row.put("java_choice_s_per_call", javaChoiceSeconds(batchSize, spec.vocabSize()));
                out.put("b" + batchSize, row);
                log(spec.name() + " sample B=" + batchSize + " " + row);
            }
        }
        return out;
    }

    /**
     * The decoding loop without the sampler: prefill, then 111 one-token steps with greedy choice done by
     * libtorch and the ids fed back as an array. Its time is what the model's ops cost.
     */
    private static void greedyModelLoop(Gpt2Model model, List<int[]> prompts) {
        int b = prompts.size();
        long[] ids = new long[b * PROMPT];
        long[] pos = new long[PROMPT];
        for (int t = 0; t < PROMPT; t++) {
            pos[t] = t;
            for (int r = 0; r < b; r++) {
                ids[r * PROMPT + t] = prompts.get(r)[t];
            }
        }
        float[] bias = new float[PROMPT * PROMPT];
        for (int q = 0; q < PROMPT; q++) {
            for (int k = q + 1; k < PROMPT; k++) {
                bias[q * PROMPT + k] = Gpt2Model.maskedScore();
            }
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().nLayer())) {
            NDArray next;
            try (NDScope scope = new NDScope()) {
                NDArray hidden = model.forward(manager.create(ids, new Shape(b, PROMPT)),
                        manager.create(pos, new Shape(1, PROMPT)),
                        manager.create(bias, new Shape(1, 1, PROMPT, PROMPT)), cache);
                next = model.lmHead(hidden.get(new ai.djl.ndarray.index.NDIndex(":, -1"))).argMax(-1)
                        .reshape(b, 1);
                NDScope.unregister(next);
            }
            for (int step = 1; step < NEW_TOKENS; step++) {
                try (NDScope scope = new NDScope()) {
                    NDArray hidden = model.forward(next, manager.create(new long[] {PROMPT + step - 1}, new Shape(1, 1)),
                            null, cache);
                    NDArray chosen = model.lmHead(hidden.reshape(b, model.config().nEmbd())).argMax(-1).reshape(b, 1);
                    NDScope.unregister(chosen);
                    next.close();
                    next = chosen;
                }
            }
            next.toLongArray();
            next.close();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Seconds per generate call spent choosing tokens in Java: 112 steps of B rows over the vocabulary. */
    private double javaChoiceSeconds(int batchSize, int vocab) {
        Random random = new Random(5);
        float[] logProbs = new float[batchSize * vocab];
        for (int i = 0; i < logProbs.length; i++) {
            logProbs[i] = (float) (-Math.log(vocab) + 0.05 * random.nextGaussian());
        }
        TokenSampler chooser = TokenSampler.of(GenerationConfig.sampling(1, 1.0, NEW_TOKENS, 0));
        Random[] streams = new Random[batchSize];
        for (int r = 0; r < batchSize; r++) {
            streams[r] = new Random(r);
        }
        int[] sink = {0};
        Runs.Timing seconds = Runs.time(2, runs, 1, () -> {
            for (int step = 0; step < NEW_TOKENS; step++) {
                for (int r = 0; r < batchSize; r++) {
                    sink[0] += chooser.choose(logProbs, r * vocab, vocab - 1, streams[r]);
                }
            }
        });
        return seconds.medianWall() + sink[0] * 0.0;
    }

    /**
     * Resident memory over {@code steps} training steps and {@code steps} generate calls of the policy on
     * config (a), sampled every 100: the policy is used as a run uses it (text in, text out, a fresh model
     * of FEASIBILITY's config (a) with a 512-token BPE vocabulary).
     */
    private Map<String, Object> memory(int steps, List<String> calls) throws Exception {
        Path tokenizerFile = tokenizer(BenchModel.A.vocabSize(), "memory");
        SyntheticText text = new SyntheticText(21);
        List<TrainingSequence> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(TrainingSequence.supervised(text.sentence(12), " " + text.sentence(12)));
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prompts.add(text.sentence(8));
        }
        var config = new PytorchPolicyConfig(null, tokenizerFile.toString(),
                new PytorchPolicyConfig.Init(BenchModel.A.nLayer(), BenchModel.A.nEmbd(), BenchModel.A.nHead(),
                        BenchModel.A.nPositions()),
                null, 7L, null, optimizer(), null);
        Map<String, Object> out = new LinkedHashMap<>();
        try (TrainablePolicy policy = (TrainablePolicy) new PytorchPolicyFactory()
                .create(config, new RunPluginContext(7, work, Optional.empty(), threads))) {
            NDManager arrays = ((PytorchPolicy) policy).model().manager().getParentManager();
            if (calls.contains("train")) {
                out.put("train", track(steps, "train", arrays, () -> policy.train(batch, new Objective.Nll())));
            }
            if (calls.contains("trainer")) {
                // The same steps without the policy: the plugin's Trainer on a fixed token batch of the same
                // shape, so native growth can be told apart from what the policy adds (tokenizer, bookkeeping).
                Random random = new Random(13);
                List<EncodedSequence> tokens = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    tokens.add(new EncodedSequence(randomTokens(random, 30, BenchModel.A.vocabSize()),
                            randomTokens(random, 30, BenchModel.A.vocabSize()), List.of(), 1.0, new int[0],
                            OptionalDouble.empty(), "g" + i));
                }
                try (Trainer trainer = new Trainer(((PytorchPolicy) policy).model(), optimizer())) {
                    out.put("trainer", track(steps, "trainer", arrays, () -> trainer.step(tokens, new Objective.Nll())));
                }
            }
            if (calls.contains("generate")) {
                long[] seed = {0};
                out.put("generate", track(steps, "generate", arrays,
                        () -> policy.generate(prompts, GenerationConfig.sampling(1, 1.0, 24, seed[0]++))));
            }
        }
        out.put("train_batch", "8 sequences of ~12+12 words");
        out.put("generate_call", "8 prompts of ~8 words, 24 new tokens, temperature 1");
        return out;
    }

    private static Map<String, Object> track(int steps, String what, NDManager arrays, Runnable call) {
        List<Double> rss = new ArrayList<>();
        List<Integer> managed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> nonHeap = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= steps; i++) {
            call.run();
            if (i == 1 || i % 100 == 0) {
                at.add(i);
                rss.add(ResidentMemory.megabytes());
                managed.add(arrays.getManagedArrays().size());
                heap.add(Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0));
                nonHeap.add(java.lang.management.ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()
                        .getCommitted() / (1024.0 * 1024.0));
                log(what + " " + i + ": RSS " + Math.round(rss.get(rss.size() - 1)) + " MB");
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("at", at);
        row.put("rss_mb", rss);
        row.put("managed_arrays", managed);
        // The Java heap's committed size: RSS includes it, so its growth is not native memory.
        row.put("heap_committed_mb", heap);
        // Code cache and metaspace: JVM memory outside the heap, which grows while the JIT compiles.
        row.put("non_heap_committed_mb", nonHeap);
        // From the 100th call: the first calls allocate caches (allocator pools, JIT) once.
        row.put("growth_mb_from_100", rss.get(rss.size() - 1) - rss.get(Math.min(1, rss.size() - 1)));
        row.put("seconds", (System.nanoTime() - start) / 1e9);
        return row;
    }
}
