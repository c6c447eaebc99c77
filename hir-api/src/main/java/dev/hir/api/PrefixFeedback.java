package dev.hir.api;

/**
 * Capability of a {@link FeedbackFunction} that can judge partial outputs, used by sub-output
 * relabeling: is this beginning of an output the beginning of some correct answer?
 *
 * <p>Contract: for every output judged correct by {@link FeedbackFunction#evaluate}, every prefix of it
 * is accepted; deterministic and thread-safe like the function itself.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface PrefixFeedback extends FeedbackFunction {

    /** Whether {@code partialOutput} can still be completed into a correct answer for the example. */
    boolean isPrefixOfCorrect(Example example, String partialOutput);
}
