package dev.hir.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hir.api.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's configuration, as read from YAML or JSON (snake_case keys). Every section has defaults from
 * the paper (PAPER.md §2) so a config names only what differs; unknown keys are rejected.
 *
 * @param seed the base seed of every random stream of the run
 * @param algorithm which method trains the policy
 * @param iterations how many sample → relabel → train iterations follow the initial evaluation
 * @param task the task loader section
 * @param feedback the feedback function section
 * @param policy the (trainable) policy section
 * @param rollout the policy that samples, when it differs from the trained one (weight-synced each
 *     iteration); absent means the trained policy samples itself
 * @param relabeling the relabeling strategies, applied in order and concatenated
 * @param instructions the instruction strings of prompts
 * @param sampling online sampling
 * @param training offline training
 * @param buffer the replay buffer window
 * @param evaluation held-out evaluation
 * @param computeThreads the compute threads all engines of the run may use together
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RunConfig(
        Long seed,
        Algorithm algorithm,
        Integer iterations,
        PluginSpec task,
        PluginSpec feedback,
        PluginSpec policy,
        Optional<PluginSpec> rollout,
        List<PluginSpec> relabeling,
        Instructions instructions,
        Sampling sampling,
        Training training,
        Buffer buffer,
        Evaluation evaluation,
        Integer computeThreads) {

    public RunConfig {
        seed = seed == null ? 1L : seed;
        algorithm = algorithm == null ? Algorithm.HIR : algorithm;
        iterations = iterations == null ? 10 : iterations;
        require(iterations >= 0, "iterations", "must be >= 0, got " + iterations);
        if (task == null) {
            throw new InvalidInputException("task", "missing: say which task to train on, e.g. {type: bigbench-hard, name: word_sorting}");
        }
        if (feedback == null) {
            throw new InvalidInputException("feedback", "missing: say how outputs are scored, e.g. {type: exact-match}");
        }
        if (policy == null) {
            throw new InvalidInputException("policy", "missing: say which model to train, e.g. {type: pytorch, checkpoint: mini-flan}");
        }
        rollout = rollout == null ? Optional.empty() : rollout;
        relabeling = relabeling == null || relabeling.isEmpty() ? List.of(PluginSpec.of("hindsight-binary")) : List.copyOf(relabeling);
        instructions = instructions == null ? new Instructions(null, null, null) : instructions;
        sampling = sampling == null ? new Sampling(null, null, null, null, null, null, null, null, null) : sampling;
        training = training == null ? new Training(null, null, null, null, null, null, null, null, null) : training;
        buffer = buffer == null ? new Buffer(null, null) : buffer;
        evaluation = evaluation == null ? new Evaluation(null, null, null, null, null) : evaluation;
        computeThreads = computeThreads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : computeThreads;
        require(computeThreads >= 1, "compute_threads", "must be >= 1, got " + computeThreads);
    }

    /** The objective the configured algorithm trains with. */
    public dev.hir.api.Objective objective() {
        return switch (algorithm) {
            case HIR -> new dev.hir.api.Objective.Hir(training.labelSmoothing(), training.smoothing(),
                    training.contrastiveWeight(), training.entropyWeight(), training.contrastive());
            case FARL, SFT -> new dev.hir.api.Objective.Nll();
            case GRPO -> new dev.hir.api.Objective.GroupRelative(training.clipRange(), training.klWeight());
        };
    }

    static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidInputException(field, message);
        }
    }

    /** The training methods: HIR and the paper's baselines. */
    public enum Algorithm {
        /** Hindsight instruction relabeling: every sample is kept under the instruction it satisfies. */
        HIR,
        /** Final-answer RL: imitate correct samples only. */
        FARL,
        /** Supervised fine-tuning on gold answers. */
        SFT,
        /** Group-relative policy gradient. */
        GRPO;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Instruction strings (PAPER.md §4 gives the reference code's).
     *
     * @param sampling what samples and evaluations are asked under (the hindsight instructions belong to
     *     the relabeling strategies' own configuration)
     * @param promptTemplate how a prompt is built; {@code {instruction}} and {@code {input}} are replaced
     * @param answerPrefix what precedes a gold answer after the prompt in supervised targets (the
     *     template ends with "A:", and a decoder-only model answers after a space)
     */
    public record Instructions(String sampling, String promptTemplate, String answerPrefix) {
        public Instructions {
            answerPrefix = answerPrefix == null ? " " : answerPrefix;
            sampling = sampling == null ? "Solve the question with correct answer." : sampling;
            promptTemplate = promptTemplate == null ? "{instruction}\n\nQ: {input}\nA:" : promptTemplate;
            require(promptTemplate.contains("{instruction}") && promptTemplate.contains("{input}"),
                    "prompt_template", "must contain {instruction} and {input}");
        }

        /** The prompt for an instruction and a query. */
        public String prompt(String instruction, String input) {
            return promptTemplate.replace("{instruction}", instruction).replace("{input}", input);
        }
    }

    /**
     * Online sampling.
     *
     * @param samplesPerQuery samples per training query per iteration (paper: 4)
     * @param temperature τ (paper: 1.0)
     * @param topK 0 disables
     * @param topP 1 disables
     * @param maxNewTokens the longest output (reference code: 256)
     * @param deduplicate merge identical (query, output) samples as the reference code does
     * @param queriesPerIteration how many training queries each iteration samples; 0 means all
     * @param stopStrings generation stops at these (answers are one line, so a newline by default)
     * @param batchSize prompts per generation call
     */
    public record Sampling(
            Integer samplesPerQuery,
            Double temperature,
            Integer topK,
            Double topP,
            Integer maxNewTokens,
            Boolean deduplicate,
            Integer queriesPerIteration,
            List<String> stopStrings,
            Integer batchSize) {
        public Sampling {
            stopStrings = stopStrings == null ? List.of("\n") : List.copyOf(stopStrings);
            batchSize = batchSize == null ? 32 : batchSize;
            require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
            require(stopStrings.stream().noneMatch(String::isEmpty), "stop_strings", "must not contain empty strings");
            samplesPerQuery = samplesPerQuery == null ? 4 : samplesPerQuery;
            temperature = temperature == null ? 1.0 : temperature;
            topK = topK == null ? 0 : topK;
            topP = topP == null ? 1.0 : topP;
            maxNewTokens = maxNewTokens == null ? 256 : maxNewTokens;
            deduplicate = deduplicate == null || deduplicate;
            queriesPerIteration = queriesPerIteration == null ? 0 : queriesPerIteration;
            require(samplesPerQuery >= 1, "samples_per_query", "must be >= 1, got " + samplesPerQuery);
            require(temperature > 0 && Double.isFinite(temperature), "temperature", "must be > 0, got " + temperature);
            require(topK >= 0, "top_k", "must be >= 0, got " + topK);
            require(topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
            require(maxNewTokens >= 1, "max_new_tokens", "must be >= 1, got " + maxNewTokens);
            require(queriesPerIteration >= 0, "queries_per_iteration", "must be >= 0, got " + queriesPerIteration);
        }
    }

    /**
     * Offline training (PAPER.md §2–3).
     *
     * @param epochs passes over the relabeled buffer per iteration (paper: 10)
     * @param batchSize sequences per optimizer step (paper: 64)
     * @param labelSmoothing ε (paper: 0.2)
     * @param smoothing over which tokens ε spreads: {@code vocabulary} (paper) or {@code answer_tokens}
     * @param contrastiveWeight α (paper: 1)
     * @param entropyWeight β (paper: 0.001)
     * @param contrastive {@code batch} (paper) or {@code pairwise} (reference code)
     * @param clipRange the clipped ratio's ε for {@code grpo}
     * @param klWeight the KL penalty to the starting policy for {@code grpo} (0 disables)
     */
    public record Training(
            Integer epochs,
            Integer batchSize,
            Double labelSmoothing,
            dev.hir.api.Objective.Smoothing smoothing,
            Double contrastiveWeight,
            Double entropyWeight,
            dev.hir.api.Objective.Contrastive contrastive,
            Double clipRange,
            Double klWeight) {
        public Training {
            klWeight = klWeight == null ? 0.0 : klWeight;
            require(klWeight >= 0, "kl_weight", "must be >= 0, got " + klWeight);
            epochs = epochs == null ? 10 : epochs;
            batchSize = batchSize == null ? 64 : batchSize;
            labelSmoothing = labelSmoothing == null ? 0.2 : labelSmoothing;
            smoothing = smoothing == null ? dev.hir.api.Objective.Smoothing.VOCABULARY : smoothing;
            contrastiveWeight = contrastiveWeight == null ? 1.0 : contrastiveWeight;
            entropyWeight = entropyWeight == null ? 0.001 : entropyWeight;
            contrastive = contrastive == null ? dev.hir.api.Objective.Contrastive.BATCH : contrastive;
            clipRange = clipRange == null ? 0.2 : clipRange;
            require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
            require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
            require(labelSmoothing >= 0 && labelSmoothing < 1, "label_smoothing", "must be in [0, 1), got " + labelSmoothing);
            require(contrastiveWeight >= 0, "contrastive_weight", "must be >= 0, got " + contrastiveWeight);
            require(entropyWeight >= 0, "entropy_weight", "must be >= 0, got " + entropyWeight);
            require(clipRange > 0, "clip_range", "must be > 0, got " + clipRange);
        }
    }

    /**
     * Which part of the replay buffer training reads.
     *
     * @param capFactor read at most this many times the training split's size, newest first (reference
     *     code: 4)
     * @param windowIterations read only the last this many iterations; 0 means all
     */
    public record Buffer(Double capFactor, Integer windowIterations) {
        public Buffer {
            capFactor = capFactor == null ? 4.0 : capFactor;
            windowIterations = windowIterations == null ? 0 : windowIterations;
            require(capFactor > 0, "cap_factor", "must be > 0, got " + capFactor);
            require(windowIterations >= 0, "window_iterations", "must be >= 0, got " + windowIterations);
        }
    }

    /**
     * Held-out evaluation after every iteration.
     *
     * @param maxNewTokens the longest greedy output
     * @param passAtK k for pass@k (sampled at {@link Sampling#temperature()}); 0 disables
     * @param limit evaluate at most this many held-out examples; 0 means all
     * @param every evaluate every this many iterations (the last always)
     * @param batchSize prompts per generation call
     */
    public record Evaluation(Integer maxNewTokens, Integer passAtK, Integer limit, Integer every, Integer batchSize) {
        public Evaluation {
            maxNewTokens = maxNewTokens == null ? 256 : maxNewTokens;
            passAtK = passAtK == null ? 0 : passAtK;
            limit = limit == null ? 0 : limit;
            every = every == null ? 1 : every;
            batchSize = batchSize == null ? 32 : batchSize;
            require(maxNewTokens >= 1, "max_new_tokens", "must be >= 1, got " + maxNewTokens);
            require(passAtK >= 0, "pass_at_k", "must be >= 0, got " + passAtK);
            require(limit >= 0, "limit", "must be >= 0, got " + limit);
            require(every >= 1, "every", "must be >= 1, got " + every);
            require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        }
    }
}
