package dev.hir.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One sequence of a training batch, already rendered to text by the core: the policy tokenizes
 * {@code prompt + target} and computes the loss on the target's tokens only.
 *
 * @param prompt context: instruction, query and any given output prefix
 * @param target the text to learn after the prompt
 * @param endOfSequence whether the end-of-sequence token after {@code target} is part of the label
 * @param contrastPrompts the same context under other instructions, for pairwise contrastive losses
 * @param weight per-sequence weight; for policy-gradient objectives the advantage (may be negative)
 * @param answerSet the valid answers of the query (e.g. {@code "(A)", "(B)", "(C)"}); a label smoothing
 *     restricted to answer tokens spreads its mass over their tokens. Empty means the whole vocabulary.
 * @param behaviorLogProb the log-probability of {@code target} under the policy that sampled it, for
 *     importance ratios; empty when unknown
 * @param group identifies the query the sequence belongs to, for group-relative objectives
 * @param stateLabels latent-state facts about the prompt for an auxiliary loss (see {@link StateLabel});
 *     empty for most sequences
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TrainingSequence(
        String prompt,
        String target,
        boolean endOfSequence,
        List<String> contrastPrompts,
        double weight,
        List<String> answerSet,
        OptionalDouble behaviorLogProb,
        String group,
        List<StateLabel> stateLabels) {

    public TrainingSequence {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(target, "target");
        contrastPrompts = List.copyOf(contrastPrompts);
        answerSet = List.copyOf(answerSet);
        Objects.requireNonNull(behaviorLogProb, "behaviorLogProb");
        Objects.requireNonNull(group, "group");
        stateLabels = List.copyOf(stateLabels);
        for (StateLabel label : stateLabels) {
            if (label.position() >= prompt.length()) {
                throw new IllegalArgumentException("state label position " + label.position()
                        + " is past the prompt's end " + prompt.length());
            }
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite, got " + weight);
        }
    }

    /** A sequence without state labels (the form of version 0.1). */
    public TrainingSequence(String prompt, String target, boolean endOfSequence, List<String> contrastPrompts,
            double weight, List<String> answerSet, OptionalDouble behaviorLogProb, String group) {
        this(prompt, target, endOfSequence, contrastPrompts, weight, answerSet, behaviorLogProb, group, List.of());
    }

    /** A copy with other state labels. */
    public TrainingSequence withStateLabels(List<StateLabel> labels) {
        return new TrainingSequence(prompt, target, endOfSequence, contrastPrompts, weight, answerSet,
                behaviorLogProb, group, labels);
    }

    /** A plain supervised sequence: weight 1, no contrast, whole-vocabulary smoothing. */
    public static TrainingSequence supervised(String prompt, String target) {
        return new TrainingSequence(prompt, target, true, List.of(), 1.0, List.of(), OptionalDouble.empty(), "");
    }
}
