package dev.hir.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import dev.hir.api.Policy;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.ReloadablePolicy;
import dev.hir.api.Task;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.api.TrainingStats;
import dev.hir.core.buffer.BufferRecord;
import dev.hir.core.buffer.ReplayBuffer;
import dev.hir.core.config.RunConfig;
import dev.hir.core.eval.EvaluationResult;
import dev.hir.core.eval.Evaluator;
import dev.hir.core.io.AtomicFiles;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.progress.ProgressBar;
import dev.hir.core.wiring.HirModule;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run (ARCHITECTURE.md, data flow): evaluate the starting policy, then per iteration sample
 * the training queries under the sampling instruction, score and store the samples in the replay buffer,
 * build the training set (relabeled for HIR), train, checkpoint, evaluate, log.
 *
 * <p>Crash safety: an iteration counts as done only when {@code state.json} says so, which is written
 * last, after the buffer segment, the checkpoint and the metrics line. A resume deletes what an unfinished
 * iteration left and starts it again; every random stream is derived from (seed, iteration, purpose), so
 * the resumed run computes what the uninterrupted one would have.
 */
public final class HirRun {
    private static final Logger LOG = LoggerFactory.getLogger(HirRun.class);
    private static final int CHECKPOINTS_KEPT = 2;

    private final RunConfig config;
    private final Path baseDirectory;
    private final RunFolder folder;
    private final boolean resume;
    private final PrintStream out;
    private final Module[] overrides;
    private final boolean showProgress;

    public HirRun(RunConfig config, Path baseDirectory, Path outDirectory, boolean resume, PrintStream out,
            Module... overrides) {
        this(config, baseDirectory, outDirectory, resume, out, true, overrides);
    }

    HirRun(RunConfig config, Path baseDirectory, Path outDirectory, boolean resume, PrintStream out, boolean showProgress,
            Module... overrides) {
        this.config = config;
        this.baseDirectory = baseDirectory;
        this.folder = new RunFolder(outDirectory);
        this.resume = resume;
        this.out = out;
        this.showProgress = showProgress;
        this.overrides = overrides.clone();
    }

    /** Runs (or resumes) to the configured number of iterations. */
    public void run() {
        int completed = prepareFolder();
        PluginRegistry registry = PluginRegistry.discover();
        Injector injector = HirModule.injector(
                new HirModule(config, baseDirectory, Optional.of(folder.root), registry), overrides);
        Task task = injector.getInstance(Task.class);
        if (task.train().isEmpty() && config.iterations() > 0) {
            throw new InvalidInputException("task", "task " + task.name() + " has no training examples");
        }
        if (task.test().isEmpty()) {
            throw new InvalidInputException("task", "task " + task.name() + " has no held-out examples to evaluate on");
        }
        FeedbackFunction feedback = injector.getInstance(FeedbackFunction.class);
        TrainablePolicy policy = injector.getInstance(TrainablePolicy.class);
        Optional<ReloadablePolicy> rollout = Optional.empty();
        try {
            rollout = config.rollout().map(spec -> injector.getInstance(PluginInstantiator.class)
                    .create(PluginKind.POLICY, spec, "rollout", ReloadablePolicy.class));
            var builder = new TrainingSetBuilder(config,
                    () -> injector.getInstance(Key.get(new TypeLiteral<List<RelabelingStrategy>>() {})), feedback, policy);
            new Loop(task, feedback, policy, rollout, builder, registry).run(completed);
        } finally {
            rollout.ifPresent(Policy::close);
            policy.close();
        }
    }

    /** Checks the folder, writes config.json; returns the last completed iteration (-1 for a new run). */
    private int prepareFolder() {
        String resolved;
        try {
            resolved = RunFolder.JSON.writeValueAsString(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (resume) {
            Optional<Integer> done = folder.completedIteration();
            if (done.isEmpty()) {
                throw new InvalidInputException(folder.root.toString(), "nothing to resume: no completed iteration in this folder");
            }
            try {
                // A resumed run may be extended by more iterations; everything else must match.
                var saved = (com.fasterxml.jackson.databind.node.ObjectNode) RunFolder.JSON.readTree(Files.readAllBytes(folder.config()));
                var current = (com.fasterxml.jackson.databind.node.ObjectNode) RunFolder.JSON.readTree(resolved);
                saved.remove("iterations");
                current.remove("iterations");
                if (!saved.equals(current)) {
                    throw new InvalidInputException(folder.config().toString(),
                            "the run was started with another configuration; resume with the same one (see this file)");
                }
            } catch (java.io.IOException e) {
                throw new InvalidInputException(folder.config().toString(), "cannot read the run's configuration: " + e.getMessage(), e);
            }
            AtomicFiles.write(folder.config(), (resolved + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return done.get();
        }
        if (folder.holdsRun()) {
            throw new InvalidInputException(folder.root.toString(),
                    "already holds a run; pass --resume to continue it, or choose another --out");
        }
        AtomicFiles.write(folder.config(), (resolved + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return -1;
    }

    private ProgressBar bar(String label, long total) {
        return showProgress ? ProgressBar.stderr(label, total) : ProgressBar.silent(label, total);
    }

    /** The state of one run in progress. */
    private final class Loop {
        private final Task task;
        private final FeedbackFunction feedback;
        private final TrainablePolicy policy;
        private final Optional<ReloadablePolicy> rollout;
        private final TrainingSetBuilder builder;
        private final PluginRegistry registry;
        private final ReplayBuffer buffer;
        private final MetricsLog metrics;
        private final Evaluator evaluator;
        private final Instant started = Instant.now();

        Loop(Task task, FeedbackFunction feedback, TrainablePolicy policy, Optional<ReloadablePolicy> rollout,
                TrainingSetBuilder builder, PluginRegistry registry) {
            this.task = task;
            this.feedback = feedback;
            this.policy = policy;
            this.rollout = rollout;
            this.builder = builder;
            this.registry = registry;
            this.buffer = new ReplayBuffer(folder.buffer());
            this.metrics = new MetricsLog(folder.metrics());
            this.evaluator = new Evaluator(config.evaluation().batchSize());
        }

        void run(int completed) {
            writeManifest(null);
            if (completed >= 0) {
                restore(completed);
            } else {
                iterationZero();
                completed = 0;
            }
            warnAboutLongAnswers();
            for (int it = completed + 1; it <= config.iterations(); it++) {
                iteration(it);
            }
            writeManifest(Instant.now());
            var last = metrics.lines();
            if (!last.isEmpty()) {
                JsonNode first = last.get(0);
                JsonNode end = last.get(last.size() - 1);
                out.printf(Locale.ROOT, "done: %s on %s, eval accuracy %.3f -> %.3f over %d iterations; results in %s%n",
                        config.algorithm(), task.name(), first.path("eval_accuracy").asDouble(),
                        end.path("eval_accuracy").asDouble(), end.path("iteration").asInt(), folder.root);
                out.printf(Locale.ROOT, "metrics: %s%nplot:    %s%n", folder.metrics(), folder.chart());
            }
        }

        private void restore(int completed) {
            out.println("resuming after iteration " + completed + " from " + folder.checkpoint(completed));
            buffer.discardAfter(completed);
            metrics.truncateAfter(completed);
            for (int later = completed + 1; Files.exists(folder.checkpoint(later)); later++) {
                AtomicFiles.deleteTree(folder.checkpoint(later));
            }
            policy.restore(folder.checkpoint(completed));
            rollout.ifPresent(r -> r.reload(folder.checkpoint(completed)));
        }

        private void iterationZero() {
            var meter = new PhaseMeter();
            long start = System.nanoTime();
            meter.begin("checkpoint");
            policy.save(folder.checkpoint(0));
            meter.end();
            double sync = syncRollout(0, meter);
            meter.begin("evaluation");
            EvaluationResult eval = evaluate(0);
            meter.end();
            ObjectNode line = baseLine(0);
            putEval(line, eval);
            line.put("sync_seconds", sync);
            finish(line, meter, start);
            folder.markCompleted(0);
        }

        private void iteration(int it) {
            var meter = new PhaseMeter();
            long start = System.nanoTime();
            ObjectNode line = baseLine(it);
            List<Example> queries = queries(it);

            if (config.algorithm() != RunConfig.Algorithm.SFT) {
                meter.begin("sampling");
                sample(it, queries, line);
                meter.end();
            }

            meter.begin("relabeling");
            int from = config.buffer().windowIterations() == 0 ? 0 : it - config.buffer().windowIterations() + 1;
            int cap = (int) Math.ceil(config.buffer().capFactor() * task.train().size());
            List<BufferRecord> window = switch (config.algorithm()) {
                case SFT -> List.of();
                // On-policy, and group-relative advantages need every sample of a query: no window, no cap.
                case GRPO -> buffer.read(it, it);
                case HIR, FARL -> TrainingSetBuilder.cap(buffer.read(from, it), cap, Seeds.derive(config.seed(), it, "cap"));
            };
            List<TrainingSequence> sequences = builder.build(it, window, queries);
            line.put("buffer_records", window.size());
            line.put("train_sequences", sequences.size());
            meter.end();

            meter.begin("training");
            train(it, sequences, line);
            meter.end();

            meter.begin("checkpoint");
            policy.save(folder.checkpoint(it));
            pruneCheckpoints(it);
            meter.end();
            line.put("sync_seconds", syncRollout(it, meter));

            if (it % config.evaluation().every() == 0 || it == config.iterations()) {
                meter.begin("evaluation");
                putEval(line, evaluate(it));
                meter.end();
            }
            finish(line, meter, start);
            folder.markCompleted(it);
        }

        private List<Example> queries(int it) {
            List<Example> train = task.train();
            int n = config.sampling().queriesPerIteration();
            if (n == 0 || n >= train.size()) {
                return train;
            }
            var shuffled = new ArrayList<>(train);
            Collections.shuffle(shuffled, new Random(Seeds.derive(config.seed(), it, "queries")));
            return List.copyOf(shuffled.subList(0, n));
        }

        private void sample(int it, List<Example> queries, ObjectNode line) {
            var s = config.sampling();
            Policy sampler = rollout.isPresent() ? rollout.get() : policy;
            String instruction = config.instructions().sampling();
            long seed = Seeds.derive(config.seed(), it, "sampling");
            int samples = 0;
            int correct = 0;
            int malformed = 0;
            long tokens = 0;
            int distinct = 0;
            long t0 = System.nanoTime();
            try (var writer = buffer.open(it); ProgressBar bar = bar("sampling", queries.size())) {
                for (int from = 0; from < queries.size(); from += s.batchSize()) {
                    List<Example> batch = queries.subList(from, Math.min(queries.size(), from + s.batchSize()));
                    List<String> prompts = batch.stream().map(e -> config.instructions().prompt(instruction, e.input())).toList();
                    var gen = new GenerationConfig(s.samplesPerQuery(), true, s.temperature(), s.topK(), s.topP(),
                            s.maxNewTokens(), s.stopStrings(), seed + from);
                    List<List<Generation>> outs = sampler.generate(prompts, gen);
                    for (int i = 0; i < batch.size(); i++) {
                        Example e = batch.get(i);
                        for (SampleGroup group : SampleGroup.of(outs.get(i), s.deduplicate())) {
                            samples += group.count();
                            tokens += group.tokens();
                            Feedback f = feedback.evaluate(e, group.output());
                            if (f.isCorrect()) {
                                correct += group.count();
                            } else if (f.verdict() == Feedback.Verdict.MALFORMED) {
                                malformed += group.count();
                            }
                            distinct++;
                            writer.append(BufferRecord.of(new dev.hir.api.Episode(e, instruction, group.output(), f, it, group.count()),
                                    OptionalDouble.of(group.logProb())));
                        }
                    }
                    bar.step(batch.size());
                    bar.status(String.format(Locale.ROOT, "success %.3f", samples == 0 ? 0.0 : (double) correct / samples));
                }
                writer.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            line.put("samples", samples);
            line.put("distinct_samples", distinct);
            line.put("sample_success_rate", samples == 0 ? 0.0 : (double) correct / samples);
            line.put("sample_malformed_rate", samples == 0 ? 0.0 : (double) malformed / samples);
            line.put("rollout_tokens", tokens);
            line.put("rollout_tokens_per_s", seconds > 0 ? tokens / seconds : 0.0);
        }

        private void train(int it, List<TrainingSequence> sequences, ObjectNode line) {
            Objective objective = config.objective();
            int batchSize = config.training().batchSize();
            int epochs = config.training().epochs();
            int stepsPerEpoch = (sequences.size() + batchSize - 1) / batchSize;
            Random shuffle = new Random(Seeds.derive(config.seed(), it, "shuffle"));
            double lossSum = 0;
            var termSums = new LinkedHashMap<String, Double>();
            long tokens = 0;
            int steps = 0;
            double lr = 0;
            long t0 = System.nanoTime();
            try (ProgressBar bar = bar("training", (long) stepsPerEpoch * epochs)) {
                for (int epoch = 0; epoch < epochs && !sequences.isEmpty(); epoch++) {
                    var order = new ArrayList<>(sequences);
                    Collections.shuffle(order, shuffle);
                    for (int from = 0; from < order.size(); from += batchSize) {
                        TrainingStats st = policy.train(order.subList(from, Math.min(order.size(), from + batchSize)), objective);
                        lossSum += st.loss();
                        st.terms().forEach((k, v) -> termSums.merge(k, v, Double::sum));
                        tokens += st.tokens();
                        lr = st.learningRate();
                        steps++;
                        bar.step(1);
                        bar.status(String.format(Locale.ROOT, "loss %.4f", st.loss()));
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            line.put("train_steps", steps);
            if (steps > 0) {
                line.put("train_loss", lossSum / steps);
                ObjectNode terms = line.putObject("train_terms");
                final int n = steps;
                termSums.forEach((k, v) -> terms.put(k, v / n));
            } else {
                line.putNull("train_loss");
            }
            line.put("train_tokens", tokens);
            line.put("train_tokens_per_s", seconds > 0 ? tokens / seconds : 0.0);
            line.put("learning_rate", lr);
            line.put("optimizer_steps_total", policy.steps());
        }

        private double syncRollout(int it, PhaseMeter meter) {
            if (rollout.isEmpty()) {
                return 0.0;
            }
            long t0 = System.nanoTime();
            meter.begin("sync");
            rollout.get().reload(folder.checkpoint(it));
            meter.end();
            return (System.nanoTime() - t0) / 1e9;
        }

        private void pruneCheckpoints(int it) {
            for (int old = it - CHECKPOINTS_KEPT; old >= 0; old--) {
                Path p = folder.checkpoint(old);
                if (!Files.exists(p)) {
                    break;
                }
                AtomicFiles.deleteTree(p);
            }
        }

        /** Answers no output can reach: an outright zero that looks like the model's fault. */
        private void warnAboutLongAnswers() {
            Evaluator.referencesLongerThan(policy, task.train(), config.sampling().maxNewTokens()).ifPresent(why ->
                    out.printf(Locale.ROOT, "warning: sampling on %s: %s; raise sampling.max_new_tokens%n", task.name(), why));
            Evaluator.referencesLongerThan(policy, evaluationExamples(), config.evaluation().maxNewTokens()).ifPresent(why ->
                    out.printf(Locale.ROOT, "warning: evaluation on %s: %s; raise evaluation.max_new_tokens%n", task.name(), why));
        }

        private List<Example> evaluationExamples() {
            List<Example> test = task.test();
            int limit = config.evaluation().limit();
            return limit > 0 && test.size() > limit ? test.subList(0, limit) : test;
        }

        private EvaluationResult evaluate(int it) {
            List<Example> test = evaluationExamples();
            var s = config.sampling();
            var e = config.evaluation();
            var instr = config.instructions();
            var greedy = new GenerationConfig(1, false, 1.0, 0, 1.0, e.maxNewTokens(), s.stopStrings(), 0L);
            GenerationConfig passK = e.passAtK() == 0 ? null : new GenerationConfig(e.passAtK(), true, s.temperature(),
                    s.topK(), s.topP(), e.maxNewTokens(), s.stopStrings(), Seeds.derive(config.seed(), it, "pass-at-k"));
            Policy evaluated = rollout.isPresent() ? rollout.get() : policy;
            try (ProgressBar bar = bar("eval", test.size())) {
                return evaluator.evaluate(evaluated, test, feedback, x -> instr.prompt(instr.sampling(), x.input()), greedy, passK, bar);
            }
        }

        private ObjectNode baseLine(int it) {
            ObjectNode line = RunFolder.JSON.createObjectNode();
            line.put("iteration", it);
            line.put("algorithm", config.algorithm().toString());
            line.put("task", task.name());
            return line;
        }

        private void putEval(ObjectNode line, EvaluationResult r) {
            line.put("eval_accuracy", r.accuracy());
            line.put("eval_malformed_rate", r.malformedRate());
            line.put("eval_examples", r.examples());
            if (r.passAtK().isPresent()) {
                line.put("pass_at_k", r.passAtK().getAsDouble());
                line.put("k", config.evaluation().passAtK());
            }
        }

        private void finish(ObjectNode line, PhaseMeter meter, long start) {
            ObjectNode phases = line.putObject("phase_seconds");
            meter.seconds().forEach(phases::put);
            ObjectNode memory = line.putObject("peak_memory_mb");
            meter.peakMemoryMb().forEach(memory::put);
            line.put("seconds", (System.nanoTime() - start) / 1e9);
            metrics.append(line);
            AccuracyChart.write(folder.chart(), config.algorithm() + " on " + task.name(), metrics.lines());
            out.println(summary(line));
        }

        private String summary(ObjectNode l) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "iteration %d:", l.get("iteration").asInt()));
            if (l.has("eval_accuracy")) {
                sb.append(String.format(Locale.ROOT, " eval accuracy %.3f", l.get("eval_accuracy").asDouble()));
            }
            if (l.has("sample_success_rate")) {
                sb.append(String.format(Locale.ROOT, ", sample success %.3f", l.get("sample_success_rate").asDouble()));
            }
            if (l.hasNonNull("train_loss")) {
                sb.append(String.format(Locale.ROOT, ", train loss %.4f", l.get("train_loss").asDouble()));
            }
            sb.append(String.format(Locale.ROOT, " (%.1fs)", l.get("seconds").asDouble()));
            return sb.toString();
        }

        private void writeManifest(Instant ended) {
            ObjectNode m = RunFolder.JSON.createObjectNode();
            m.put("framework_version", dev.hir.core.cli.Version.current());
            m.set("config", RunFolder.JSON.valueToTree(config));
            ObjectNode plugins = m.putObject("plugins");
            putPlugin(plugins, "task", PluginKind.TASK_LOADER, config.task().type());
            putPlugin(plugins, "feedback", PluginKind.FEEDBACK, config.feedback().type());
            putPlugin(plugins, "policy", PluginKind.POLICY, config.policy().type());
            config.rollout().ifPresent(r -> putPlugin(plugins, "rollout", PluginKind.POLICY, r.type()));
            if (config.algorithm() == RunConfig.Algorithm.HIR) {
                for (int i = 0; i < config.relabeling().size(); i++) {
                    putPlugin(plugins, "relabeling[" + i + "]", PluginKind.RELABELING, config.relabeling().get(i).type());
                }
            }
            ObjectNode data = m.putObject("data");
            data.put("task", task.name());
            data.put("train_examples", task.train().size());
            data.put("test_examples", task.test().size());
            data.put("examples_sha256", TaskDigest.sha256(task));
            task.metadata().forEach(data::put);
            ObjectNode seeds = m.putObject("seeds");
            seeds.put("base", config.seed());
            seeds.put("derivation", "per (iteration, stream) with SplitMix64 over the base seed; streams: queries, sampling, cap, relabel, shuffle, pass-at-k");
            ObjectNode machine = m.putObject("machine");
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine.put("arch", System.getProperty("os.arch"));
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            machine.put("compute_threads", config.computeThreads());
            m.put("started", started.toString());
            if (ended != null) {
                m.put("ended", ended.toString());
            }
            RunFolder.writeJson(folder.manifest(), m);
        }

        private void putPlugin(ObjectNode plugins, String role, PluginKind kind, String name) {
            registry.find(kind, name).ifPresent(p -> {
                ObjectNode n = plugins.putObject(role);
                n.put("name", p.name());
                n.put("class", p.factory().getClass().getName());
                n.put("source", p.source());
                n.put("version", p.version());
            });
        }
    }

    /** Keys of the metrics lines, for documentation and tests. */
    static final List<String> REQUIRED_METRICS = List.of("iteration", "algorithm", "task", "eval_accuracy",
            "sample_success_rate", "train_loss", "samples", "train_tokens_per_s", "rollout_tokens_per_s", "seconds");
}
