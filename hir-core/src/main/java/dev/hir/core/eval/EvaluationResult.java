package dev.hir.core.eval;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The outcome of evaluating a policy on held-out examples.
 *
 * @param examples how many examples were evaluated
 * @param correct how many greedy outputs were correct
 * @param malformed how many greedy outputs were not a valid answer at all
 * @param passAtK the share of examples with a correct answer among k samples, when asked for
 * @param generatedTokens tokens generated (greedy and samples)
 * @param seconds wall time
 * @param outputs each example's greedy output and verdict, in example order
 */
public record EvaluationResult(
        int examples,
        int correct,
        int malformed,
        OptionalDouble passAtK,
        long generatedTokens,
        double seconds,
        List<Output> outputs) {
    public EvaluationResult {
        outputs = List.copyOf(outputs);
    }

    /** The share of correct greedy outputs. */
    public double accuracy() {
        return examples == 0 ? 0.0 : (double) correct / examples;
    }

    /** The share of malformed greedy outputs. */
    public double malformedRate() {
        return examples == 0 ? 0.0 : (double) malformed / examples;
    }

    /** One example's greedy output. */
    public record Output(String exampleId, String output, String verdict) {}
}
