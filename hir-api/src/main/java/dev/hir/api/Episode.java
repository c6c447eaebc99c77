package dev.hir.api;

import java.util.Objects;

/**
 * What online sampling produced for one query: the instruction it was asked under, the sampled output and
 * the feedback on it.
 *
 * @param example the query
 * @param instruction the instruction the output was sampled under (the sampling instruction)
 * @param output the sampled output
 * @param feedback the feedback function's judgement of {@code output}
 * @param iteration the HIR iteration that produced it (0-based)
 * @param count how many identical samples this episode stands for (at least 1; deduplication merges them)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Episode(Example example, String instruction, String output, Feedback feedback, int iteration, int count) {
    public Episode {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(instruction, "instruction");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(feedback, "feedback");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
    }
}
