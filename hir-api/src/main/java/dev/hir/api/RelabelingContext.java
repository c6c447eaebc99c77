package dev.hir.api;

import java.util.List;
import java.util.Random;

/**
 * What the core hands a {@link RelabelingStrategy} with each call: the run's randomness for this call,
 * the task's feedback function and the policy's segmentation of outputs into tokens. One context object
 * instead of a growing parameter list.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RelabelingContext {

    /** The instruction outputs were sampled (and are evaluated) under. */
    String samplingInstruction();

    /** The task's feedback function; may also implement {@link PrefixFeedback}. */
    FeedbackFunction feedback();

    /**
     * The randomness a strategy must use for every random choice (never its own unseeded source), so runs
     * are reproducible. Owned by the core; do not keep it after the call.
     */
    Random random();

    /**
     * Splits an output into the policy's token pieces; the pieces concatenate to the output exactly.
     * Sub-output strategies choose their cut points between pieces.
     */
    List<String> tokenPieces(String output);
}
