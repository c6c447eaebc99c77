package dev.hir.api;

import java.util.List;
import java.util.Objects;

/**
 * One relabeled training example, produced by a {@link RelabelingStrategy} from an {@link Episode}.
 *
 * <p>The model is trained to produce {@code target} after the prompt built from {@code instruction} and
 * the query, followed by {@code outputPrefix} as given context. The contrastive term of the HIR objective
 * compares the likelihood of {@code target} under {@code instruction} with its likelihood under each of
 * {@code contrastInstructions}.
 *
 * @param instruction the hindsight instruction that {@code outputPrefix + target} satisfies
 * @param contrastInstructions instructions it does not satisfy (e.g. the opposite one); may be empty
 * @param example the query
 * @param outputPrefix the part of the sampled output given as context (empty for full-output relabels)
 * @param target the (possibly partial) output to learn; may be empty only if {@code endOfSequence}
 * @param endOfSequence whether the end-of-sequence token follows {@code target} in the label
 * @param weight a non-negative weight for this example in the loss (1 by default)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TrainingExample(
        String instruction,
        List<String> contrastInstructions,
        Example example,
        String outputPrefix,
        String target,
        boolean endOfSequence,
        double weight) {

    public TrainingExample {
        Objects.requireNonNull(instruction, "instruction");
        contrastInstructions = List.copyOf(contrastInstructions);
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(outputPrefix, "outputPrefix");
        Objects.requireNonNull(target, "target");
        if (target.isEmpty() && !endOfSequence) {
            throw new IllegalArgumentException("an empty target must end the sequence");
        }
        if (!(weight >= 0.0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        }
    }

    /** A full-output example with weight 1 that ends the sequence. */
    public static TrainingExample full(String instruction, List<String> contrast, Example example, String output) {
        return new TrainingExample(instruction, contrast, example, "", output, true, 1.0);
    }
}
