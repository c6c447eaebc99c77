package dev.hir.core.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.GenerationConfig;
import dev.hir.api.GeneratorFactory;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import dev.hir.api.StateLabel;
import dev.hir.api.Task;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.api.TrainingStats;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.eval.EvaluationResult;
import dev.hir.core.eval.Evaluator;
import dev.hir.core.io.AtomicFiles;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RunPluginContext;
import dev.hir.core.progress.ProgressBar;
import dev.hir.core.run.MetricsLog;
import dev.hir.core.run.Seeds;
import dev.hir.core.tasks.TaskResolver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;

/**
 * {@code hir pretrain}: supervised multi-task pretraining on generated examples with a staircase
 * curriculum per family (PILOT.md, part 2). Each family starts at level 0 (a copy version of its task),
 * trains on its current level with a share of earlier levels mixed in, and moves up when greedy accuracy
 * on fresh examples of its level reaches {@code advance_at}. The loss covers the answer only.
 *
 * <p>Output folder: {@code corpus.txt} (generated text for tokenizer training), {@code metrics.jsonl} (one
 * line per probe interval: loss, levels, probe accuracy, and real-example accuracy when evaluated),
 * {@code checkpoints/step-N/} snapshots (all kept), {@code state.json} (the last snapshot's step, levels,
 * the step each level was entered, and solved families; a resume continues from it: the data streams are
 * derived from (seed, step)).
 *
 * <p>With {@code curriculum.solved_weight} below 1 the mixture itself follows a curriculum: a family that
 * has solved its top level gives up most of its share to the families still climbing.
 */
public final class Pretrainer {
    /** The largest state value labelled (counts beyond it are rare; the policy's head may hold fewer). */
    private static final int MAX_STATE_VALUE = 63;
    private static final ObjectMapper JSON = ConfigBinder.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final PretrainConfig config;
    private final Path baseDirectory;
    private final Path out;
    private final boolean resume;
    private final PrintStream log;
    private final boolean showProgress;

    public Pretrainer(PretrainConfig config, Path baseDirectory, Path out, boolean resume, PrintStream log, boolean showProgress) {
        this.config = config;
        this.baseDirectory = baseDirectory;
        this.out = out;
        this.resume = resume;
        this.log = log;
        this.showProgress = showProgress;
        if (config.checkpointEvery() % config.curriculum().probeEvery() != 0) {
            throw new InvalidInputException("checkpoint_every", "must be a multiple of curriculum.probe_every ("
                    + config.curriculum().probeEvery() + ") so a resumed run logs the same intervals, got " + config.checkpointEvery());
        }
    }

    /** Pretrains (or resumes) until the step or time budget is spent; returns the last snapshot. */
    public Path run() {
        PluginRegistry registry = PluginRegistry.discover();
        var context = new RunPluginContext(config.seed(), baseDirectory, Optional.of(out), config.computeThreads());
        var plugins = new PluginInstantiator(registry, context);
        GeneratorFactory<?> genFactory = registry.factory(PluginKind.GENERATOR, config.generator().type(), "generator.type");
        var generators = new LinkedHashMap<String, ExampleGenerator>();
        for (int i = 0; i < config.families().size(); i++) {
            String family = config.families().get(i).family();
            if (!genFactory.families().contains(family)) {
                throw new InvalidInputException("families[" + i + "].family", "generator " + genFactory.name()
                        + " has no family '" + family + "'; it has " + genFactory.families());
            }
            generators.put(family, create(genFactory, family, context));
        }
        FeedbackFunction feedback = plugins.create(PluginKind.FEEDBACK, config.feedback(), "feedback", FeedbackFunction.class);

        State state = prepare(generators);
        try (TrainablePolicy policy = plugins.create(PluginKind.POLICY, config.policy(), "policy", TrainablePolicy.class)) {
            if (state.step > 0) {
                log.println("resuming pretraining at step " + state.step + " from " + checkpoint(state.step));
                policy.restore(checkpoint(state.step));
            }
            Map<String, List<Example>> realExamples = realExamples(registry, context);
            realExamples.forEach((family, examples) -> Evaluator.referencesLongerThan(policy, examples,
                    config.evaluation().maxNewTokens()).ifPresent(why -> log.printf(Locale.ROOT,
                    "warning: evaluation of %s: %s; raise evaluation.max_new_tokens%n", family, why)));
            return new Loop(policy, generators, feedback, realExamples, state).run();
        }
    }

    private static <C extends Record> ExampleGenerator create(GeneratorFactory<C> f, String family, RunPluginContext ctx) {
        return f.create(f.configFor(family), ctx);
    }

    private Path checkpoint(long step) {
        return out.resolve("checkpoints").resolve("step-" + step);
    }

    /**
     * The curriculum position: the step of the last snapshot, each family's level and the step it entered it,
     * and the solved families.
     */
    private static final class State {
        long step;
        final Map<String, Integer> levels = new LinkedHashMap<>();
        final Map<String, Long> levelSince = new LinkedHashMap<>();
        final Set<String> solved = new LinkedHashSet<>();
    }

    private State prepare(Map<String, ExampleGenerator> generators) {
        var state = new State();
        generators.keySet().forEach(f -> {
            state.levels.put(f, 0);
            state.levelSince.put(f, 0L);
        });
        Path stateFile = out.resolve("state.json");
        try {
            Files.createDirectories(out);
            if (resume) {
                if (!Files.exists(stateFile)) {
                    throw new InvalidInputException(out.toString(), "nothing to resume: no state.json");
                }
                JsonNode n = JSON.readTree(Files.readAllBytes(stateFile));
                state.step = n.get("step").asLong();
                n.get("levels").fields().forEachRemaining(e -> state.levels.put(e.getKey(), e.getValue().asInt()));
                // absent in the state of runs from before the family curriculum: nothing solved
                n.path("solved").forEach(f -> state.solved.add(f.asText()));
                // absent in the state of runs from before curriculum.advance_after: patience counts from here
                state.levelSince.replaceAll((f, since) -> n.path("level_since").path(f).asLong(state.step));
                new MetricsLog(out.resolve("metrics.jsonl")).truncateAfter("step", state.step);
                return state;
            }
            if (Files.exists(stateFile) || Files.exists(out.resolve("metrics.jsonl"))) {
                throw new InvalidInputException(out.toString(), "already holds a pretraining run; pass --resume or choose another --out");
            }
            AtomicFiles.write(out.resolve("config.json"), JSON.writeValueAsBytes(config));
            writeCorpus(generators);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    /** Text of every family at every level, in the prompt format, for tokenizer training. */
    private void writeCorpus(Map<String, ExampleGenerator> generators) {
        var sb = new StringBuilder();
        Random r = new Random(Seeds.derive(config.seed(), 0, "corpus"));
        var instr = config.instructions();
        for (var g : generators.values()) {
            for (int i = 0; i < config.corpusExamples(); i++) {
                int level = i % g.levels();
                Example e = g.generate(level, r);
                sb.append(instr.prompt(instr.sampling(), e.input())).append(instr.answerPrefix()).append(e.target()).append("\n\n");
            }
        }
        AtomicFiles.write(out.resolve("corpus.txt"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, List<Example>> realExamples(PluginRegistry registry, RunPluginContext context) {
        var resolver = new TaskResolver(registry, context);
        var real = new LinkedHashMap<String, List<Example>>();
        for (var f : config.families()) {
            Task t = resolver.loader(config.evaluation().loader() + ":" + f.family(), "evaluation.loader").load();
            var all = new ArrayList<Example>(t.train());
            all.addAll(t.test());
            int limit = config.evaluation().limit();
            real.put(f.family(), limit > 0 && all.size() > limit ? List.copyOf(all.subList(0, limit)) : List.copyOf(all));
        }
        return real;
    }

    private final class Loop {
        private final TrainablePolicy policy;
        private final Map<String, ExampleGenerator> generators;
        private final FeedbackFunction feedback;
        private final Map<String, List<Example>> real;
        private final State state;
        private final MetricsLog metrics = new MetricsLog(out.resolve("metrics.jsonl"));
        private final List<String> familyNames;
        private final double[] cumulative;

        Loop(TrainablePolicy policy, Map<String, ExampleGenerator> generators, FeedbackFunction feedback,
                Map<String, List<Example>> real, State state) {
            this.policy = policy;
            this.generators = generators;
            this.feedback = feedback;
            this.real = real;
            this.state = state;
            this.familyNames = List.copyOf(generators.keySet());
            this.cumulative = new double[familyNames.size()];
            reweigh();
        }

        /** The sampling distribution over families: the configured weights, solved families scaled down. */
        private void reweigh() {
            double sum = 0;
            for (int i = 0; i < familyNames.size(); i++) {
                double w = config.families().get(i).weight();
                sum += state.solved.contains(familyNames.get(i)) ? w * config.curriculum().solvedWeight() : w;
                cumulative[i] = sum;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] /= sum;
            }
        }

        private int maxLevel(int familyIndex) {
            int configured = config.families().get(familyIndex).maxLevel();
            ExampleGenerator g = generators.get(familyNames.get(familyIndex));
            return configured < 0 ? g.defaultLevel() : Math.min(configured, g.levels() - 1);
        }

        Path run() {
            long start = System.nanoTime();
            double limitSeconds = config.maxMinutes() * 60;
            double lossSum = 0;
            double stateLossSum = 0;
            long tokens = 0;
            int sinceLog = 0;
            int[] examplesPerFamily = new int[familyNames.size()];
            long intervalStart = System.nanoTime();
            Path last = state.step > 0 ? checkpoint(state.step) : null;
            var instr = config.instructions();
            try (ProgressBar bar = showProgress ? ProgressBar.stderr("pretrain", config.steps())
                    : ProgressBar.silent("pretrain", config.steps())) {
                bar.resumeAt(state.step);
                while (state.step < config.steps()) {
                    if (limitSeconds > 0 && (System.nanoTime() - start) / 1e9 > limitSeconds && state.step % config.checkpointEvery() == 0) {
                        log.println("time budget of " + config.maxMinutes() + " minutes spent at step " + state.step);
                        break;
                    }
                    long step = state.step + 1;
                    Random r = new Random(Seeds.derive(config.seed(), (int) step, "batch"));
                    var batch = new ArrayList<TrainingSequence>(config.batchSize());
                    for (int i = 0; i < config.batchSize(); i++) {
                        int fi = pickFamily(r.nextDouble());
                        examplesPerFamily[fi]++;
                        String family = familyNames.get(fi);
                        int level = state.levels.get(family);
                        if (level > 0 && r.nextDouble() < config.curriculum().earlierShare()) {
                            level = r.nextInt(level);
                        }
                        Example e = generators.get(family).generate(level, r);
                        batch.add(sequence(e, family, level, r));
                    }
                    TrainingStats st = policy.train(batch, new Objective.Nll());
                    state.step = step;
                    lossSum += st.loss();
                    stateLossSum += st.terms().getOrDefault("state", 0.0);
                    tokens += st.tokens();
                    sinceLog++;
                    bar.step(1);
                    bar.status(String.format(Locale.ROOT, "loss %.4f levels %s", st.loss(), state.levels.values()));
                    if (step % config.curriculum().probeEvery() == 0 || step == config.steps()) {
                        double seconds = (System.nanoTime() - intervalStart) / 1e9;
                        ObjectNode line = JSON.createObjectNode();
                        line.put("step", step);
                        line.put("train_loss", lossSum / sinceLog);
                        if (stateLossSum != 0) {
                            line.put("train_state_loss", stateLossSum / sinceLog);
                        }
                        line.put("train_tokens_per_s", seconds > 0 ? tokens / seconds : 0);
                        ObjectNode examples = line.putObject("examples");
                        for (int fi = 0; fi < familyNames.size(); fi++) {
                            examples.put(familyNames.get(fi), examplesPerFamily[fi]);
                        }
                        Arrays.fill(examplesPerFamily, 0);
                        probeAndAdvance(step, line.putObject("probe_accuracy"), line.putObject("levels"));
                        if (config.curriculum().solvedWeight() < 1) {
                            state.solved.forEach(line.putArray("solved")::add);
                        }
                        if (step % config.evaluation().every() == 0 || step == config.steps()) {
                            ObjectNode acc = line.putObject("eval_accuracy");
                            ObjectNode malformed = line.putObject("eval_malformed_rate");
                            evaluate(acc, malformed);
                        }
                        line.put("seconds", (System.nanoTime() - start) / 1e9);
                        metrics.append(line);
                        log.println(summary(line));
                        lossSum = 0;
                        stateLossSum = 0;
                        tokens = 0;
                        sinceLog = 0;
                        intervalStart = System.nanoTime();
                    }
                    if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                        last = snapshot(step);
                    }
                }
            }
            return last;
        }

        /**
         * The example under the sampling instruction with its gold answer, or (for a share of the examples of
         * a family at {@code wrong_instruction_from_level} or above) under the wrong-answer instruction with a
         * wrong answer: another option of a multiple-choice example, or (with {@code wrong_free_form_answers})
         * the answer of another example of the same family and level (a count, a word list) that differs from
         * the gold one.
         */
        private TrainingSequence sequence(Example e, String family, int level, Random r) {
            var instr = config.instructions();
            String instruction = instr.sampling();
            String target = e.target();
            // Multiple-choice examples draw their coin even when the share is 0, as they always have: the
            // shipped checkpoints' data streams stay the same.
            boolean eligible = e.isMultipleChoice() ? e.options().size() > 1 : config.wrongFreeFormAnswers();
            // The coin is drawn at every level: an example held back by the level gate draws what one whose coin
            // failed draws.
            if (eligible && r.nextDouble() < config.wrongInstructionShare()
                    && state.levels.get(family) >= config.wrongInstructionFromLevel()) {
                Optional<String> wrong = wrongAnswer(e, family, level, r);
                if (wrong.isPresent()) {
                    instruction = config.wrongInstruction();
                    target = wrong.get();
                }
            }
            String prompt = instr.prompt(instruction, e.input());
            // The states are facts about the input whatever the instruction asks; a policy without a state
            // head ignores them.
            int inputOffset = prompt.indexOf(e.input());
            List<StateLabel> states = StateLabels.of(e, inputOffset, MAX_STATE_VALUE);
            if (config.answerLabelSlot() >= 0) {
                states = new ArrayList<>(states);
                states.addAll(StateLabels.answers(e, inputOffset, config.answerLabelSlot()));
            }
            return new TrainingSequence(prompt, instr.answerPrefix() + target, true, List.of(), 1.0, List.of(),
                    OptionalDouble.empty(), family, states);
        }

        private Optional<String> wrongAnswer(Example e, String family, int level, Random r) {
            if (e.goldOptionIndex().isPresent()) {
                int gold = e.goldOptionIndex().getAsInt();
                int wrong = r.nextInt(e.options().size() - 1);
                wrong = wrong >= gold ? wrong + 1 : wrong;
                return Optional.of("(" + (char) ('A' + wrong) + ")");
            }
            // A few draws find a different answer unless the level has (almost) a single answer.
            for (int attempt = 0; attempt < 8; attempt++) {
                String other = generators.get(family).generate(level, r).target();
                if (!other.equals(e.target())) {
                    return Optional.of(other);
                }
            }
            return Optional.empty();
        }

        private int pickFamily(double u) {
            for (int i = 0; i < cumulative.length; i++) {
                if (u < cumulative[i]) {
                    return i;
                }
            }
            return cumulative.length - 1;
        }

        private void probeAndAdvance(long step, ObjectNode probes, ObjectNode levels) {
            var instr = config.instructions();
            for (int fi = 0; fi < familyNames.size(); fi++) {
                String family = familyNames.get(fi);
                int level = state.levels.get(family);
                Random r = new Random(Seeds.derive(config.seed(), (int) step, "probe/" + family));
                var examples = new ArrayList<Example>();
                for (int i = 0; i < config.curriculum().probeExamples(); i++) {
                    examples.add(generators.get(family).generate(level, r));
                }
                EvaluationResult res = new Evaluator(config.evaluation().batchSize()).evaluate(policy, examples, feedback,
                        e -> instr.prompt(instr.sampling(), e.input()),
                        GenerationConfig.greedy(config.evaluation().maxNewTokens()).withStopStrings(List.of("\n")), null,
                        ProgressBar.silent("probe", examples.size()));
                probes.put(family, res.accuracy());
                boolean passed = res.accuracy() >= config.curriculum().advanceAt();
                long since = state.levelSince.get(family);
                int patience = config.families().get(fi).patience(config.curriculum());
                if (level < maxLevel(fi) && (passed || patience > 0 && step - since >= patience)) {
                    state.levels.put(family, level + 1);
                    state.levelSince.put(family, step);
                    if (passed) {
                        log.printf(Locale.ROOT, "step %d: %s reached %.2f at level %d, moving to level %d%n",
                                step, family, res.accuracy(), level, level + 1);
                    } else {
                        log.printf(Locale.ROOT, "step %d: %s at %.2f after %d steps at level %d, moving to level %d"
                                + " (advance_after)%n", step, family, res.accuracy(), step - since, level, level + 1);
                    }
                }
                levels.put(family, state.levels.get(family));
                if (config.curriculum().solvedWeight() < 1) {
                    boolean solved = config.curriculum().solvedAfterProbe(state.solved.contains(family),
                            level == maxLevel(fi), res.accuracy());
                    if (solved ? state.solved.add(family) : state.solved.remove(family)) {
                        log.printf(Locale.ROOT, "step %d: %s %s its top level (%.2f): weight %s%n", step, family,
                                solved ? "solved" : "fell below the bar at", res.accuracy(),
                                solved ? "x " + config.curriculum().solvedWeight() : "restored");
                    }
                }
            }
            reweigh();
        }

        private void evaluate(ObjectNode accuracy, ObjectNode malformed) {
            var instr = config.instructions();
            for (var entry : real.entrySet()) {
                EvaluationResult res = new Evaluator(config.evaluation().batchSize()).evaluate(policy, entry.getValue(), feedback,
                        e -> instr.prompt(instr.sampling(), e.input()),
                        GenerationConfig.greedy(config.evaluation().maxNewTokens()).withStopStrings(List.of("\n")), null,
                        ProgressBar.silent("eval", entry.getValue().size()));
                accuracy.put(entry.getKey(), res.accuracy());
                malformed.put(entry.getKey(), res.malformedRate());
            }
        }

        private Path snapshot(long step) {
            Path dir = checkpoint(step);
            if (!Files.exists(dir)) {
                policy.save(dir);
            }
            ObjectNode s = JSON.createObjectNode();
            s.put("step", step);
            ObjectNode levels = s.putObject("levels");
            state.levels.forEach(levels::put);
            ObjectNode since = s.putObject("level_since");
            state.levelSince.forEach(since::put);
            state.solved.forEach(s.putArray("solved")::add);
            try {
                AtomicFiles.write(out.resolve("state.json"), JSON.writeValueAsBytes(s));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir;
        }

        private String summary(ObjectNode l) {
            var sb = new StringBuilder(String.format(Locale.ROOT, "step %d: loss %.4f, levels %s, probe %s",
                    l.get("step").asLong(), l.get("train_loss").asDouble(), l.get("levels"), l.get("probe_accuracy")));
            if (l.has("eval_accuracy")) {
                sb.append(", real ").append(l.get("eval_accuracy"));
            }
            return sb.toString();
        }
    }
}
