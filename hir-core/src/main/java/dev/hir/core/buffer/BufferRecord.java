package dev.hir.core.buffer;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One line of the replay buffer: a sampled episode with everything needed to relabel it later, in plain
 * JSON so other trainers can read the buffer too.
 *
 * @param iteration the iteration that sampled it
 * @param exampleId the query's id
 * @param input the query
 * @param target the gold answer
 * @param options the options of a multiple-choice query
 * @param instruction the instruction it was sampled under
 * @param output the sampled output
 * @param score the feedback's score
 * @param verdict {@code correct}, {@code wrong} or {@code malformed}
 * @param reason the feedback's reason
 * @param count how many identical samples this line stands for
 * @param logProb the sampling policy's log-probability of the output, when known
 */
public record BufferRecord(
        int iteration,
        String exampleId,
        String input,
        String target,
        List<String> options,
        String instruction,
        String output,
        double score,
        String verdict,
        String reason,
        int count,
        OptionalDouble logProb) {
    public BufferRecord {
        Objects.requireNonNull(exampleId, "example_id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        options = options == null ? List.of() : List.copyOf(options);
        Objects.requireNonNull(instruction, "instruction");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(verdict, "verdict");
        reason = reason == null ? "" : reason;
        logProb = logProb == null ? OptionalDouble.empty() : logProb;
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
        Feedback.Verdict.valueOf(verdict.toUpperCase(java.util.Locale.ROOT));
    }

    /** The record of an episode. */
    public static BufferRecord of(Episode e, OptionalDouble logProb) {
        Example x = e.example();
        return new BufferRecord(e.iteration(), x.id(), x.input(), x.target(), x.options(), e.instruction(), e.output(),
                e.feedback().score(), e.feedback().verdict().name().toLowerCase(java.util.Locale.ROOT),
                e.feedback().reason(), e.count(), logProb);
    }

    /** The episode this record holds. */
    public Episode episode() {
        Example x = new Example(exampleId, input, target, options, Map.of(), List.of());
        Feedback f = new Feedback(score, Feedback.Verdict.valueOf(verdict.toUpperCase(java.util.Locale.ROOT)), reason, Map.of());
        return new Episode(x, instruction, output, f, iteration, count);
    }
}
