package dev.hir.pytorch.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.hir.api.Objective;
import dev.hir.api.TrainingStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes optimizer steps on a {@link CausalLm}: one {@link #step} = the batch split into micro-batches of
 * at most {@link OptimizerConfig#microBatchSize()} scored rows (see {@link ObjectiveLoss#rows}; at least
 * one sequence), their gradients accumulated, then one AdamW update at the scheduled learning rate.
 *
 * <p>Every array a step creates is freed when it ends (one {@link NDScope} per step), so native memory
 * stays flat over any number of steps. The optimizer state ({@link #saveState}/{@link #loadState}) plus
 * the model's weights are everything a resumed run needs to continue bit for bit (with a {@link StateHead},
 * its weights are part of the saved state). Not thread-safe; a
 * process trains one model at a time (DJL allows one gradient collector at a time).
 */
public final class Trainer implements AutoCloseable {

    private final CausalLm model;
    private final OptimizerConfig config;
    private final Optional<CausalLm> reference;
    private final Optional<StateHead> stateHead;
    private final AdamW optimizer;

    /**
     * @param model the model to train
     * @param config the optimizer's hyper-parameters
     * @param reference the frozen model of the group-relative KL penalty (its parameters must not require
     *     gradients), or empty when no KL penalty is used
     */
    public Trainer(CausalLm model, OptimizerConfig config, Optional<CausalLm> reference) {
        this(model, config, reference, Optional.empty());
    }

    /**
     * @param model the model to train
     * @param config the optimizer's hyper-parameters
     * @param reference the frozen model of the group-relative KL penalty, or empty
     * @param stateHead an auxiliary latent-state head trained with the model under plain NLL, or empty. The
     *     trainer owns and closes it. One AdamW updates the model's parameters and then the head's (one
     *     global gradient norm, as PILOT.md trained them); the head's weights are saved beside the optimizer
     *     state ({@value StateHead#FILE}), and a trainer without a head resumes from such a state
     * @throws IllegalArgumentException when the head does not fit the model's hidden states
     */
    public Trainer(CausalLm model, OptimizerConfig config, Optional<CausalLm> reference, Optional<StateHead> stateHead) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.stateHead = Objects.requireNonNull(stateHead, "stateHead");
        stateHead.ifPresent(h -> StateHead.check(h, model.hiddenSize()));
        NDList trained = new NDList(model.parameters());
        stateHead.ifPresent(h -> trained.addAll(h.parameters()));
        this.optimizer = new AdamW(trained, config);
    }

    /** A trainer without a reference model. */
    public Trainer(CausalLm model, OptimizerConfig config) {
        this(model, config, Optional.empty());
    }

    /**
     * One optimizer step on a batch under an objective.
     *
     * @return the batch's loss and terms (means over its sequences), target tokens, the learning rate used
     *     and the gradient norm before clipping (not finite: the update was skipped, see {@link AdamW#step})
     * @throws IllegalArgumentException for an empty batch, a sequence without target tokens or with token
     *     ids outside the vocabulary, or a KL penalty without a reference model
     */
    public TrainingStats step(List<EncodedSequence> batch, Objective objective) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("cannot train on an empty batch");
        }
        ObjectiveLoss loss = ObjectiveLoss.of(objective, reference, stateHead);
        // Checked in the caller's order, so messages name the caller's indices (micro-batches are reordered).
        for (int i = 0; i < batch.size(); i++) {
            TokenBatch.checkSequence(batch.get(i), model.vocabSize(), "sequence " + i);
        }
        double learningRate = config.learningRateAt(optimizer.steps() + 1);
        Map<String, Double> terms = new LinkedHashMap<>();
        double total = 0.0;
        long tokens = 0;
        double gradientNorm;
        NDManager parameterManager = model.parameters().head().getManager();
        try (NDScope scope = new NDScope();
                NDManager manager = parameterManager.newSubManager()) {
            scope.suppressNotUsedWarning();
            List<EncodedSequence> ordered = objective instanceof Objective.Nll ? byLength(batch) : byTarget(batch);
            for (int from = 0; from < ordered.size(); ) {
                int to = microBatchEnd(loss, ordered, from);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    ObjectiveLoss.Loss part = loss.compute(model, manager, ordered, from, to);
                    collector.backward(part.tensor());
                    total += part.value();
                    tokens += part.tokens();
                    part.terms().forEach((name, value) -> terms.merge(name, value, Double::sum));
                }
                from = to;
            }
            gradientNorm = optimizer.step(learningRate);
        }
        return new TrainingStats(total, terms, tokens, learningRate, gradientNorm);
    }

    /**
     * The batch with equal targets next to each other (a stable sort by target tokens). Every objective is
     * a sum over sequences whose cross-sequence parts (prompt multiset, groups) ignore order, so this
     * changes nothing but which sequences share a micro-batch, and sequences with one target share the
     * contrastive rows of the paper's HIR term.
     */
    static List<EncodedSequence> byTarget(List<EncodedSequence> batch) {
        List<EncodedSequence> ordered = new ArrayList<>(batch);
        ordered.sort((a, b) -> Arrays.compare(a.targetIds(), b.targetIds()));
        return ordered;
    }

    /**
     * The batch from shortest to longest sequence (stable). NLL has no cross-sequence term, so this only
     * decides which sequences share a micro-batch: similar lengths pad less (a multi-task batch mixes
     * 40-token and 300-token sequences, and padding to the longest doubled the cost of a step).
     */
    static List<EncodedSequence> byLength(List<EncodedSequence> batch) {
        List<EncodedSequence> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparingInt(s -> s.promptIds().length + s.targetIds().length));
        return ordered;
    }

    /**
     * The end of the micro-batch that starts at {@code from}: as many sequences as fit in
     * {@link OptimizerConfig#microBatchSize()} scored rows, at least one, and more as long as they add no
     * rows beyond what that one needs.
     */
    private int microBatchEnd(ObjectiveLoss loss, List<EncodedSequence> batch, int from) {
        int to = from + 1;
        int limit = Math.max(config.microBatchSize(), loss.rows(batch, from, to));
        while (to < batch.size() && loss.rows(batch, from, to + 1) <= limit) {
            to++;
        }
        return to;
    }

    /** Optimizer steps taken, including those restored by {@link #loadState}. */
    public long steps() {
        return optimizer.steps();
    }

    /** The optimizer's hyper-parameters. */
    public OptimizerConfig config() {
        return config;
    }

    /**
     * Writes the optimizer and schedule state ({@value AdamW#STATE_FILE}, {@value AdamW#META_FILE}) into an
     * existing directory; the model's weights are the caller's to save.
     */
    public void saveState(Path directory) {
        optimizer.save(directory);
        stateHead.ifPresent(h -> h.save(directory));
    }

    /**
     * Restores the state {@link #saveState} wrote, for a model of the same parameter shapes.
     *
     * @throws dev.hir.api.InvalidInputException when the files are missing, malformed or do not fit
     */
    public void loadState(Path directory) {
        // The head first: it names the missing file, where the optimizer would only count tensors.
        stateHead.ifPresent(h -> h.load(directory));
        boolean savedWithHead = Files.exists(directory.resolve(StateHead.FILE));
        // A state saved with a head resumes without one: the head's moments are the last two tensors.
        optimizer.load(directory, stateHead.isEmpty() && savedWithHead ? StateHead.PARAMETERS : 0);
    }

    /** The auxiliary latent-state head, when the trainer has one. */
    public Optional<StateHead> stateHead() {
        return stateHead;
    }

    /** Frees the optimizer state; the model stays open. */
    @Override
    public void close() {
        optimizer.close();
        stateHead.ifPresent(StateHead::close);
    }
}
