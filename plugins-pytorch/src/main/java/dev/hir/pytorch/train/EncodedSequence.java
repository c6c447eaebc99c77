package dev.hir.pytorch.train;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A {@link dev.hir.api.TrainingSequence} after tokenization: the loss applies to {@code targetIds} only.
 *
 * @param promptIds the context tokens (at least one)
 * @param targetIds the tokens to learn (including the end-of-sequence id when the label has it); the
 *     objectives reject an empty target
 * @param contrastPromptIds the same context under each contrasting instruction; the pairwise HIR term
 *     uses the first
 * @param weight the sequence weight; the group-relative objective reads it as the reward and normalizes
 *     it within the group into the advantage
 * @param answerTokenIds the token ids of the query's valid answers, for smoothing restricted to them;
 *     empty means the whole vocabulary. Smoothing applies only at target positions whose label is one
 *     of these ids, so tokens every answer shares (e.g. the parentheses of "(A)") are better left out
 * @param behaviorLogProb the sampling policy's log-probability of exactly {@code targetIds} after
 *     {@code promptIds}, summed over them, under the untempered distribution, when known
 * @param group the query the sequence belongs to, for group-relative objectives
 * @param states latent-state targets on prompt tokens, for a trainer with a {@link StateHead}
 */
public record EncodedSequence(
        int[] promptIds,
        int[] targetIds,
        List<int[]> contrastPromptIds,
        double weight,
        int[] answerTokenIds,
        OptionalDouble behaviorLogProb,
        String group,
        List<StateTarget> states) {
    public EncodedSequence {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(targetIds, "targetIds");
        contrastPromptIds = List.copyOf(contrastPromptIds);
        Objects.requireNonNull(answerTokenIds, "answerTokenIds");
        Objects.requireNonNull(behaviorLogProb, "behaviorLogProb");
        Objects.requireNonNull(group, "group");
        states = List.copyOf(states);
        for (StateTarget t : states) {
            if (t.token() >= promptIds.length) {
                throw new IllegalArgumentException("state target on token " + t.token() + " of a "
                        + promptIds.length + "-token prompt");
            }
        }
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("a sequence needs at least one prompt token");
        }
    }

    /** A sequence without state targets. */
    public EncodedSequence(int[] promptIds, int[] targetIds, List<int[]> contrastPromptIds, double weight,
            int[] answerTokenIds, OptionalDouble behaviorLogProb, String group) {
        this(promptIds, targetIds, contrastPromptIds, weight, answerTokenIds, behaviorLogProb, group, List.of());
    }
}
