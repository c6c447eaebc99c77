package dev.hir.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Policy;
import dev.hir.core.plugin.RunPluginContext;
import dev.hir.onnxruntime.OnnxRuntimePolicy;
import dev.hir.onnxruntime.OnnxRuntimePolicyConfig;
import dev.hir.onnxruntime.OnnxRuntimePolicyFactory;
import dev.hir.onnxruntime.decode.DecoderSession;
import dev.hir.onnxruntime.export.Gpt2OnnxExporter;
import dev.hir.pytorch.PytorchPolicyConfig;
import dev.hir.pytorch.PytorchPolicyFactory;
import dev.hir.pytorch.checkpoint.Checkpoint;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.model.KvCache;
import dev.hir.pytorch.tokenizer.BpeTrainer;
import dev.hir.pytorch.tokenizer.ByteLevelBpe;
import dev.hir.pytorch.tokenizer.HfTextTokenizer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout benchmark of issue 6: new tokens/s of the {@code onnxruntime} policy and the {@code pytorch}
 * policy, through the public {@link Policy#generate} (text in, text out, the plugins' own samplers), on the
 * same random GPT-2 checkpoints that {@code bench/python/rollout_bench.py} reads for plain Python PyTorch;
 * plus the onnxruntime policy's weight sync ({@link OnnxRuntimePolicy#reload}) and a per-op profile of
 * cached decoding steps for both engines. {@code bench/run-rollout-bench.sh} runs everything.
 *
 * <p>{@code --mode prepare} writes, per config, {@code WORK/CFG/checkpoint} (Hugging Face layout) and the
 * prompts: {@code prompts.txt} (one per line) and {@code prompts.json} (their token ids, for Python). Every
 * prompt is exactly {@code --prompt} tokens and encodes back to the same ids. The checkpoint's end of
 * sequence (id 0) can never be sampled: the final layer norm holds one channel at 1 (gain 0, bias 1) and
 * the end-of-sequence embedding row is -1000 on that channel and 0 elsewhere, so its logit is always
 * -1000 while the other logits stay small. Every sample therefore runs to its token limit in every engine,
 * without changing the work any engine does.
 *
 * <p>{@code --mode measure --engine onnxruntime|pytorch}: the rollout rows (new tokens 1, then each of
 * {@code --new-tokens}; 1 new token is the prefill with the first token's choice, no decoding step), the
 * sync rows (onnxruntime only), and profile traces in {@code --profile-dir}.
 *
 * <p>Usage: {@code RolloutBench --mode prepare|measure [--engine E] [--work DIR] [--configs a,b]
 * [--threads 1] [--runs 5] [--prompt 200] [--new-tokens 16,64] [--batches 1,32]
 * [--sections rollout,sync,profile] [--sync-checkpoints DIR,...] [--profile-dir DIR] [--out FILE.json]}
 */
public final class RolloutBench {
    /** Context of both configs: a 200-token prompt and 64 new tokens fit. */
    static final int POSITIONS = 264;
    static final int END_OF_SEQUENCE = 0;
    static final float NEVER = -1000f;
    static final int PROFILED_STEPS = 12;

    /** The GPT-2 config of a benchmark size: this benchmark's longer context, end of sequence at id 0. */
    private static Gpt2Config gpt2(BenchModel size) {
        return Gpt2Config.of(size.nLayer(), size.nEmbd(), size.nHead(), POSITIONS, size.vocabSize(), END_OF_SEQUENCE);
    }

    private final Map<String, String> options;
    private final int threads;
    private final int runs;
    private final int promptTokens;
    private final Path work;

    private RolloutBench(Map<String, String> options) {
        this.options = options;
        this.threads = Integer.parseInt(options.get("--threads"));
        this.runs = Integer.parseInt(options.get("--runs"));
        this.promptTokens = Integer.parseInt(options.get("--prompt"));
        this.work = Path.of(options.get("--work"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--mode", "measure");
        options.put("--engine", "onnxruntime");
        options.put("--work", System.getProperty("java.io.tmpdir") + "/hir-rollout-bench");
        options.put("--configs", "a,b");
        options.put("--threads", "1");
        options.put("--runs", "5");
        options.put("--prompt", "200");
        options.put("--new-tokens", "16,64");
        options.put("--batches", "1,32");
        options.put("--sync-checkpoints", "");
        options.put("--sections", "rollout,sync,profile");
        options.put("--profile-dir", "");
        options.put("--out", "");
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: RolloutBench --mode prepare|measure [--engine onnxruntime|pytorch] [--work DIR] "
                        + "[--configs a,b] [--threads 1] [--runs 5] [--prompt 200] [--new-tokens 16,64] [--batches 1,32] "
                        + "[--sections rollout,sync,profile] [--sync-checkpoints DIR,...] [--profile-dir DIR] [--out FILE.json]");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        RolloutBench bench = new RolloutBench(options);
        Map<String, Object> result = options.get("--mode").equals("prepare") ? bench.prepareAll() : bench.measureAll();
        Json.emit(result, options.get("--out"));
    }

    private static void log(String message) {
        System.err.println("[RolloutBench] " + message);
    }

    private List<BenchModel> sizes() {
        return Arrays.stream(options.get("--configs").split(",")).map(BenchModel::named).toList();
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private boolean section(String name) {
        return Arrays.asList(options.get("--sections").split(",")).contains(name);
    }

    private int maxBatch() {
        return Arrays.stream(ints(options.get("--batches"))).max().orElseThrow();
    }

    // ---- prepare -------------------------------------------------------------------------------------

    private Map<String, Object> prepareAll() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (BenchModel size : sizes()) {
                out.put(size.name(), prepare(size, manager));
            }
        }
        return out;
    }

    private Map<String, Object> prepare(BenchModel size, NDManager manager) throws Exception {
        Path dir = work.resolve(size.name());
        Files.createDirectories(dir);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        BpeTrainer.Result trained = new BpeTrainer(BpeTrainer.Config.ofVocabSize(size.vocabSize()))
                .train(new SyntheticText(3).paragraphs(4000, 40));
        ByteLevelBpe vocabulary = trained.vocabulary();
        if (vocabulary.vocabSize() != size.vocabSize()) {
            throw new IllegalStateException("the corpus gave " + vocabulary.vocabSize() + " tokens, not " + size.vocabSize());
        }
        vocabulary.writeTokenizerJson(tokenizerFile);
        Path checkpoint = dir.resolve("checkpoint");
        try (Gpt2Model random = Gpt2Model.random(gpt2(size), 2, manager);
                Gpt2Model model = withoutEndOfSequence(random, manager)) {
            Checkpoint.write(checkpoint, model, Files.readAllBytes(tokenizerFile), Checkpoint.ExtraFiles.none());
        }
        List<String> texts = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        try (HfTextTokenizer tokenizer = HfTextTokenizer.load(checkpoint.resolve(Checkpoint.TOKENIZER),
                Optional.of(END_OF_SEQUENCE))) {
            SyntheticText text = new SyntheticText(17);
            int tries = 0;
            while (texts.size() < maxBatch()) {
                if (++tries > 50 * maxBatch()) {
                    throw new IllegalStateException("could not make prompts of exactly " + promptTokens + " tokens");
                }
                StringBuilder s = new StringBuilder(text.sentence(promptTokens));
                int[] encoded = tokenizer.encode(s.toString());
                while (encoded.length < promptTokens) {
                    s.append(' ').append(text.sentence(promptTokens));
                    encoded = tokenizer.encode(s.toString());
                }
                int[] prefix = Arrays.copyOf(encoded, promptTokens);
                String prompt = tokenizer.decode(prefix);
                // The policies encode the text: keep only prompts whose text gives back exactly these ids.
                if (prompt.contains("\n") || !Arrays.equals(tokenizer.encode(prompt), prefix)
                        || Arrays.stream(prefix).anyMatch(t -> t == END_OF_SEQUENCE)) {
                    continue;
                }
                texts.add(prompt);
                ids.add(Arrays.stream(prefix).boxed().toList());
            }
        }
        Files.writeString(dir.resolve("prompts.txt"), String.join("\n", texts) + "\n");
        Map<String, Object> prompts = new LinkedHashMap<>();
        prompts.put("prompt_tokens", promptTokens);
        prompts.put("end_of_sequence", END_OF_SEQUENCE);
        prompts.put("ids", ids);
        Files.writeString(dir.resolve("prompts.json"), Json.write(prompts));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("checkpoint", checkpoint.toString());
        row.put("parameters", gpt2(size).parameterCount());
        row.put("n_layer", size.nLayer());
        row.put("n_embd", size.nEmbd());
        row.put("n_head", size.nHead());
        row.put("n_positions", POSITIONS);
        row.put("vocab_size", size.vocabSize());
        row.put("prompts", texts.size());
        log("prepared " + size.name() + ": " + row);
        return row;
    }

    /** The random model with the end-of-sequence logit pinned at {@link #NEVER} (see the class comment). */
    private static Gpt2Model withoutEndOfSequence(Gpt2Model random, NDManager manager) {
        Gpt2Config c = random.config();
        int d = c.nEmbd();
        int channel = d - 1;
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : random.namedParameters().entrySet()) {
            float[] data = e.getValue().toFloatArray();
            String name = e.getKey();
            if (name.equals(Gpt2Model.PREFIX + "wte.weight")) {
                Arrays.fill(data, END_OF_SEQUENCE * d, END_OF_SEQUENCE * d + d, 0f);
                data[END_OF_SEQUENCE * d + channel] = NEVER;
            } else if (name.equals(Gpt2Model.PREFIX + "ln_f.weight")) {
                data[channel] = 0f;
            } else if (name.equals(Gpt2Model.PREFIX + "ln_f.bias")) {
                data[channel] = 1f;
            }
            params.put(name, manager.create(data, e.getValue().getShape()));
        }
        return Gpt2Model.fromParameters(c, params, manager, "rollout bench");
    }

    // ---- measure -------------------------------------------------------------------------------------

    private Map<String, Object> measureAll() throws Exception {
        String engine = options.get("--engine");
        Map<String, Object> result = new LinkedHashMap<>();
        if (engine.equals("pytorch")) {
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(threads);
            result.put("engine", "pytorch policy (DJL " + Engine.getDjlVersion() + ", PyTorch "
                    + Engine.getEngine("PyTorch").getVersion() + ")");
            result.put("intra_op_threads", JniUtils.getNumThreads());
            result.put("interop_threads", JniUtils.getNumInteropThreads());
        } else if (engine.equals("onnxruntime")) {
            result.put("engine", "onnxruntime policy (ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + ")");
            result.put("intra_op_threads", threads);
        } else {
            throw new IllegalArgumentException("--engine must be onnxruntime or pytorch, not " + engine);
        }
        result.put("threads", threads);
        Map<String, Object> configs = new LinkedHashMap<>();
        for (BenchModel size : sizes()) {
            Map<String, Object> rows = new LinkedHashMap<>();
            Path dir = work.resolve(size.name());
            Path checkpoint = dir.resolve("checkpoint");
            List<String> prompts = Files.readAllLines(dir.resolve("prompts.txt"));
            rows.put("parameters", gpt2(size).parameterCount());
            var context = new RunPluginContext(1, work, Optional.empty(), threads);
            try (Policy policy = engine.equals("pytorch")
                    ? new PytorchPolicyFactory().create(PytorchPolicyConfig.ofCheckpoint(checkpoint.toString()), context)
                    : new OnnxRuntimePolicyFactory().create(new OnnxRuntimePolicyConfig(checkpoint.toString(), null, null,
                            threads, "all", null, null), context)) {
                for (String p : prompts) {
                    int n = policy.tokenPieces(p).size();
                    if (n != promptTokens) {
                        throw new IllegalStateException(engine + " encodes a prompt to " + n + " tokens, not " + promptTokens);
                    }
                }
                // Same weights, same answer: compared with Python's in the table.
                Generation greedy = policy.generate(List.of(prompts.get(0)), GenerationConfig.greedy(16)).get(0).get(0);
                rows.put("greedy_check", Map.of("log_prob", greedy.logProb(), "tokens", greedy.tokens()));
                if (section("rollout")) {
                    rows.put("rollout", rollouts(policy, prompts, size));
                }
                if (policy instanceof OnnxRuntimePolicy ort && section("sync")) {
                    rows.put("sync", sync(ort, checkpoint));
                }
            }
            if (section("profile") && !options.get("--profile-dir").isEmpty()) {
                Path profiles = Path.of(options.get("--profile-dir"));
                Files.createDirectories(profiles);
                rows.put("profile", engine.equals("pytorch") ? profileTorch(size, checkpoint, profiles)
                        : profileOrt(size, checkpoint, profiles));
            }
            configs.put(size.name(), rows);
        }
        result.put("configs", configs);
        if (engine.equals("onnxruntime") && section("sync") && !options.get("--sync-checkpoints").isEmpty()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            var context = new RunPluginContext(1, work, Optional.empty(), threads);
            try (var ort = (OnnxRuntimePolicy) new OnnxRuntimePolicyFactory().create(
                    new OnnxRuntimePolicyConfig(null, null, null, threads, "all", null, null), context)) {
                for (String c : options.get("--sync-checkpoints").split(",")) {
                    extra.put(c, sync(ort, Path.of(c)));
                }
            }
            result.put("sync_checkpoints", extra);
        }
        return result;
    }

    /**
     * New tokens/s of {@code generate} for each batch size and new-token count (1 first: the prefill).
     * Batch B uses the first B prompts, one sample each at temperature 1, a new seed per call.
     */
    private Map<String, Object> rollouts(Policy policy, List<String> prompts, BenchModel size) {
        Map<String, Object> out = new LinkedHashMap<>();
        int[] counts = ints("1," + options.get("--new-tokens"));
        long[] seed = {0};
        for (int batch : ints(options.get("--batches"))) {
            List<String> rows = prompts.subList(0, batch);
            for (int newTokens : counts) {
                Runnable call = () -> {
                    List<List<Generation>> samples = policy.generate(rows,
                            GenerationConfig.sampling(1, 1.0, newTokens, seed[0]++));
                    for (List<Generation> s : samples) {
                        if (s.get(0).tokens() != newTokens) {
                            throw new IllegalStateException("a sample stopped after " + s.get(0).tokens() + " of "
                                    + newTokens + " tokens (" + s.get(0).finishReason() + ")");
                        }
                    }
                };
                int calls = callsPerRun(call);
                Runs.Timing t = Runs.time(1, runs, calls, call);
                Map<String, Object> row = Runs.rate(t, calls, (double) batch * newTokens, 0);
                row.put("batch", batch);
                row.put("new_tokens", newTokens);
                out.put("b" + batch + "_n" + newTokens, row);
                log(options.get("--engine") + " " + size.name() + " B=" + batch + " new=" + newTokens + ": "
                        + Math.round((double) row.get("per_s")) + " new tokens/s, " + fmt((double) row.get("s_per_call")) + " s/call");
            }
        }
        return out;
    }

    /** Calls per timed run: enough for about 0.4 s, from one probe call (1 to 50). */
    private static int callsPerRun(Runnable call) {
        long start = System.nanoTime();
        call.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        return (int) Math.max(1, Math.min(50, Math.round(0.4 / seconds)));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /**
     * Weight sync as {@code hir run} does it: {@code reload(checkpoint)} (export, new session, swap), and
     * its two parts timed alone.
     */
    private Map<String, Object> sync(OnnxRuntimePolicy policy, Path checkpoint) {
        Map<String, Object> row = new LinkedHashMap<>();
        int n = Math.max(runs, 5);
        Runs.Timing reload = Runs.time(2, n, 1, () -> policy.reload(checkpoint));
        byte[][] onnx = new byte[1][];
        Runs.Timing export = Runs.time(2, n, 1, () -> onnx[0] = Gpt2OnnxExporter.export(checkpoint).onnx());
        Runs.Timing session = Runs.time(2, n, 1,
                () -> DecoderSession.open(onnx[0], new DecoderSession.Settings(threads, SessionOptions.OptLevel.ALL_OPT),
                        "bench").close());
        row.put("reload_s", reload.medianWall());
        row.put("reload_runs_s", Arrays.stream(reload.wall()).boxed().toList());
        row.put("export_s", export.medianWall());
        row.put("session_s", session.medianWall());
        row.put("onnx_mb", onnx[0].length / 1e6);
        log("sync " + checkpoint + ": reload " + fmt(reload.medianWall()) + " s (export " + fmt(export.medianWall())
                + ", session " + fmt(session.medianWall()) + ")");
        return row;
    }

    private int[] promptIds(Path checkpoint, int row) throws Exception {
        try (HfTextTokenizer tokenizer = HfTextTokenizer.load(checkpoint.resolve(Checkpoint.TOKENIZER),
                Optional.of(END_OF_SEQUENCE))) {
            List<String> prompts = Files.readAllLines(checkpoint.getParent().resolve("prompts.txt"));
            return tokenizer.encode(prompts.get(row));
        }
    }

    /**
     * ONNX Runtime's own profile of a prefill and {@link #PROFILED_STEPS} cached steps at each batch size,
     * on the same graph, session options and inputs as the policy's (greedy choice, so no sampling). The
     * trace (one file per batch) is analysed by {@code bench/python/rollout_table.py}; the first
     * {@code model_run} event is the prefill. Also the unprofiled wall time of those steps.
     */
    private Map<String, Object> profileOrt(BenchModel size, Path checkpoint, Path profiles) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        byte[] onnx = Gpt2OnnxExporter.export(checkpoint).onnx();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int batch : ints(options.get("--batches"))) {
            List<int[]> prompts = new ArrayList<>();
            for (int r = 0; r < batch; r++) {
                prompts.add(promptIds(checkpoint, r));
            }
            String prefix = profiles.resolve("ort-" + size.name() + "-b" + batch).toString();
            double[] plain = new double[2];
            for (boolean profiled : new boolean[] {false, true}) {
                try (SessionOptions o = new SessionOptions()) {
                    o.setIntraOpNumThreads(threads);
                    o.setInterOpNumThreads(1);
                    o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
                    o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
                    if (profiled) {
                        o.enableProfiling(prefix);
                    }
                    try (OrtSession session = env.createSession(onnx, o)) {
                        // Unprofiled: warm-up passes, then the timed one. Profiled: the analysis reads the last
                        // pass's steps, after a warm-up pass.
                        for (int pass = 0; pass < (profiled ? 2 : 3); pass++) {
                            double[] t = ortDecode(env, session, size, prompts);
                            if (!profiled) {
                                plain = t;
                            }
                        }
                        if (profiled) {
                            String file = session.endProfiling();
                            out.put("b" + batch + "_trace", Path.of(file).toAbsolutePath().toString());
                        }
                    }
                }
            }
            putSteps(out, batch, plain);
        }
        return out;
    }

    private static void putSteps(Map<String, Object> out, int batch, double[] timing) {
        out.put("b" + batch + "_prefill_s", timing[0]);
        out.put("b" + batch + "_step_s", timing[1]);
        out.put("b" + batch + "_step_cpu_s", timing[2]);
    }

    /** {prefill seconds, median wall seconds of a step, mean CPU seconds of a step on the calling thread}. */
    private static double[] stepTiming(double prefill, long[] stepNanos, long cpuNanos) {
        double[] wall = Arrays.stream(stepNanos).mapToDouble(n -> n / 1e9).toArray();
        return new double[] {prefill, Runs.median(wall), cpuNanos / 1e9 / stepNanos.length};
    }

    private static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Prefill and {@link #PROFILED_STEPS} greedy steps; see {@link #stepTiming}. */
    private double[] ortDecode(OrtEnvironment env, OrtSession session, BenchModel size, List<int[]> prompts) throws Exception {
        int b = prompts.size();
        int hs = size.nEmbd() / size.nHead();
        int t = promptTokens;
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = prompts.get(r)[i];
                pos[r * t + i] = i;
            }
        }
        List<AutoCloseable> owned = new ArrayList<>();
        Map<String, OnnxTensor> past = new HashMap<>();
        for (int l = 0; l < size.nLayer(); l++) {
            for (String kv : new String[] {"key", "value"}) {
                OnnxTensor empty = OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0), new long[] {b, size.nHead(), 0, hs});
                owned.add(empty);
                past.put("past_key_values." + l + "." + kv, empty);
            }
        }
        double prefill = 0;
        long[] stepNanos = new long[PROFILED_STEPS];
        long cpuStart = 0;
        OrtSession.Result previous = null;
        try {
            long[] next = null;
            for (int step = 0; step <= PROFILED_STEPS; step++) {
                int length = step == 0 ? t : 1;
                int total = t + step;
                Map<String, OnnxTensor> inputs = new HashMap<>(past);
                OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(step == 0 ? ids : next), new long[] {b, length});
                long[] positions = step == 0 ? pos : new long[b];
                if (step > 0) {
                    Arrays.fill(positions, t + step - 1);
                }
                long[] ones = new long[b * total];
                Arrays.fill(ones, 1L);
                OnnxTensor p = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {b, length});
                OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {b, total});
                inputs.put("input_ids", in);
                inputs.put("position_ids", p);
                inputs.put("attention_mask", m);
                long start = System.nanoTime();
                OrtSession.Result result = session.run(inputs);
                float[][] logits = (float[][]) result.get(Gpt2OnnxExporter.LAST_LOGITS).orElseThrow().getValue();
                next = new long[b];
                for (int r = 0; r < b; r++) {
                    next[r] = argMax(logits[r]);
                }
                if (step == 0) {
                    prefill = (System.nanoTime() - start) / 1e9;
                    cpuStart = threadCpuNanos();
                } else {
                    stepNanos[step - 1] = System.nanoTime() - start;
                }
                in.close();
                p.close();
                m.close();
                for (int l = 0; l < size.nLayer(); l++) {
                    for (String kv : new String[] {"key", "value"}) {
                        past.put("past_key_values." + l + "." + kv,
                                (OnnxTensor) result.get("present." + l + "." + kv).orElseThrow());
                    }
                }
                if (previous != null) {
                    previous.close();
                }
                previous = result;
            }
            return stepTiming(prefill, stepNanos, threadCpuNanos() - cpuStart);
        } finally {
            if (previous != null) {
                previous.close();
            }
            for (AutoCloseable c : owned) {
                c.close();
            }
        }
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * libtorch's profiler (through DJL) over {@link #PROFILED_STEPS} cached steps of the plugin's model, as
     * its sampler runs them (forward with the KV cache, LM head, log-softmax, copy to Java), after an
     * unprofiled prefill; and the unprofiled wall time of the same steps.
     */
    private Map<String, Object> profileTorch(BenchModel size, Path checkpoint, Path profiles) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                Gpt2Model model = Checkpoint.loadModel(checkpoint, manager)) {
            for (int batch : ints(options.get("--batches"))) {
                List<int[]> prompts = new ArrayList<>();
                for (int r = 0; r < batch; r++) {
                    prompts.add(promptIds(checkpoint, r));
                }
                double[] plain = null;
                for (int pass = 0; pass < 3; pass++) {
                    plain = torchDecode(model, prompts, null);
                }
                String file = profiles.resolve("torch-" + size.name() + "-b" + batch + ".json").toAbsolutePath().toString();
                torchDecode(model, prompts, file);
                out.put("b" + batch + "_trace", file);
                putSteps(out, batch, plain);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    private double[] torchDecode(Gpt2Model model, List<int[]> prompts, String profile) {
        int b = prompts.size();
        int t = promptTokens;
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        float[] bias = new float[t * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = prompts.get(r)[i];
                pos[r * t + i] = i;
            }
        }
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                bias[q * t + k] = Gpt2Model.maskedScore();
            }
        }
        int vocab = model.config().vocabSize();
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().nLayer())) {
            long start = System.nanoTime();
            float[] logProbs;
            try (NDScope scope = new NDScope()) {
                NDArray hidden = model.forward(manager.create(ids, new Shape(b, t)), manager.create(pos, new Shape(b, t)),
                        manager.create(bias, new Shape(1, 1, t, t)), cache);
                logProbs = model.lmHead(hidden.get(new NDIndex(":, -1"))).logSoftmax(-1).toFloatArray();
            }
            double prefill = (System.nanoTime() - start) / 1e9;
            if (profile != null) {
                JniUtils.startProfile(false, false, false);
            }
            long[] stepNanos = new long[PROFILED_STEPS];
            long cpuStart = threadCpuNanos();
            for (int step = 1; step <= PROFILED_STEPS; step++) {
                long stepStart = System.nanoTime();
                long[] next = new long[b];
                for (int r = 0; r < b; r++) {
                    int best = 0;
                    for (int v = 1; v < vocab; v++) {
                        if (logProbs[r * vocab + v] > logProbs[r * vocab + best]) {
                            best = v;
                        }
                    }
                    next[r] = best;
                }
                long[] stepPos = new long[b];
                Arrays.fill(stepPos, t + step - 1);
                try (NDScope scope = new NDScope()) {
                    NDArray hidden = model.forward(manager.create(next, new Shape(b, 1)),
                            manager.create(stepPos, new Shape(b, 1)), null, cache);
                    logProbs = model.lmHead(hidden.reshape(b, model.config().nEmbd())).logSoftmax(-1).toFloatArray();
                }
                stepNanos[step - 1] = System.nanoTime() - stepStart;
            }
            long cpu = threadCpuNanos() - cpuStart;
            if (profile != null) {
                JniUtils.stopProfile(profile);
            }
            return stepTiming(prefill, stepNanos, cpu);
        }
    }
}
