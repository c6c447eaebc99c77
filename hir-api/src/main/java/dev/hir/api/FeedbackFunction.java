package dev.hir.api;

/**
 * Scores an output for an example: HIR's only source of signal. It is never learned; HIR calls it.
 *
 * <p>Contract: deterministic and side-effect free (the same example and output always give the same
 * {@link Feedback}); safe to call from several threads at once. The example's gold
 * {@link Example#target()} given as output must be judged correct.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface FeedbackFunction {

    /**
     * Scores an output.
     *
     * @param example the query with its gold answer
     * @param output the model's output, as generated (the function normalizes it as it documents)
     */
    Feedback evaluate(Example example, String output);
}
