package dev.hir.api;

import java.util.Map;
import java.util.Objects;

/**
 * The score a {@link FeedbackFunction} gives one output.
 *
 * @param score a graded score in {@code [0, 1]}; 1 for a fully correct output
 * @param verdict whether the output is correct, wrong, or not a valid answer at all
 * @param reason a short human-readable explanation, e.g. {@code "expected (B), got (C)"}
 * @param components per-component scores of a composite feedback, by component name; empty otherwise
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Feedback(double score, Verdict verdict, String reason, Map<String, Double> components) {

    public Feedback {
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        components = Map.copyOf(components);
    }

    /** A correct output (score 1). */
    public static Feedback correct(String reason) {
        return new Feedback(1.0, Verdict.CORRECT, reason, Map.of());
    }

    /** A well-formed but wrong output with a graded score. */
    public static Feedback wrong(double score, String reason) {
        return new Feedback(score, Verdict.WRONG, reason, Map.of());
    }

    /** An output that is not a valid answer at all (score 0). */
    public static Feedback malformed(String reason) {
        return new Feedback(0.0, Verdict.MALFORMED, reason, Map.of());
    }

    /** Whether the output is correct. */
    public boolean isCorrect() {
        return verdict == Verdict.CORRECT;
    }

    /**
     * The kind of an output. Malformed outputs are counted apart from wrong ones so that a run can see a
     * policy forgetting the answer format (see PILOT.md in the project's notes).
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum Verdict {
        CORRECT,
        WRONG,
        MALFORMED
    }
}
