package dev.hir.testkit;

import dev.hir.api.FeedbackFunction;
import dev.hir.api.RelabelingContext;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A {@link RelabelingContext} for testing relabeling strategies: the given instruction, feedback and
 * random, and one token piece per code point.
 *
 * @param samplingInstruction the instruction outputs were sampled under
 * @param feedback the task's feedback function
 * @param random the randomness the strategy must draw from
 */
public record TestingRelabelingContext(String samplingInstruction, FeedbackFunction feedback, Random random)
        implements RelabelingContext {
    public TestingRelabelingContext {
        Objects.requireNonNull(samplingInstruction, "samplingInstruction");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(random, "random");
    }

    @Override
    public List<String> tokenPieces(String output) {
        return output.codePoints().mapToObj(Character::toString).toList();
    }
}
