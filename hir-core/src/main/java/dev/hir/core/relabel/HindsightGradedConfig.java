package dev.hir.core.relabel;

import dev.hir.api.InvalidInputException;
import java.util.HashSet;
import java.util.List;

/**
 * Configuration of {@code hindsight-graded}: score thresholds that cut {@code [0, 1]} into buckets, and
 * one instruction per bucket, from the lowest to the highest.
 *
 * <pre>
 * relabeling:
 *   - type: hindsight-graded
 *     thresholds: [0.5, 1.0]      # buckets [0, 0.5), [0.5, 1.0), [1.0, 1]
 *     instructions:
 *       - Solve the question with wrong answer.
 *       - Solve the question with partly correct answer.
 *       - Solve the question with correct answer.
 *     top_is_correct: true
 *     count_as: weight
 *     malformed: wrong
 * </pre>
 *
 * The defaults make the lowest and highest buckets the paper's two instructions, so the highest is also
 * the sampling and evaluation instruction and a run's prompts stay the paper's.
 *
 * @param thresholds the lower bounds of every bucket but the first, strictly ascending, each in (0, 1]
 *     (default [0.5, 1.0])
 * @param instructions one instruction per bucket (one more than thresholds), all different
 * @param topIsCorrect whether the highest bucket holds exactly the outputs the feedback judged correct,
 *     whatever their score (default true): an output judged correct with a lower score (e.g. by a composite
 *     feedback's threshold) goes to the top, and one judged wrong despite a top score to the bucket below.
 *     The top instruction is the one the policy is evaluated under, so only correct outputs should be
 *     taught under it. False: buckets follow the score alone
 * @param countAs how a deduplicated episode's count is honoured (default {@code weight})
 * @param malformed {@code wrong} (default): bucket malformed outputs by their score like any other;
 *     {@code skip}: drop them
 */
public record HindsightGradedConfig(
        List<Double> thresholds,
        List<String> instructions,
        Boolean topIsCorrect,
        CountHandling countAs,
        MalformedHandling malformed) {

    /** The default buckets' instruction for partly correct outputs. */
    public static final String PARTLY_CORRECT = "Solve the question with partly correct answer.";

    public HindsightGradedConfig {
        thresholds = thresholds == null ? List.of(0.5, 1.0) : withoutGaps(thresholds, "thresholds");
        topIsCorrect = topIsCorrect == null || topIsCorrect;
        countAs = countAs == null ? CountHandling.WEIGHT : countAs;
        malformed = malformed == null ? MalformedHandling.WRONG : malformed;
        if (thresholds.isEmpty()) {
            throw new InvalidInputException("thresholds", "needs at least one threshold (one bucket cannot tell outputs apart)");
        }
        double previous = 0.0;
        for (int i = 0; i < thresholds.size(); i++) {
            double t = thresholds.get(i);
            if (!(t > 0.0 && t <= 1.0)) {
                throw new InvalidInputException("thresholds[" + i + "]", "must be in (0, 1], got " + t);
            }
            if (t <= previous) {
                throw new InvalidInputException("thresholds[" + i + "]",
                        "thresholds must be strictly ascending, got " + t + " after " + previous);
            }
            previous = t;
        }
        instructions = instructions == null ? defaultInstructions(thresholds.size()) : withoutGaps(instructions, "instructions");
        if (instructions.size() != thresholds.size() + 1) {
            throw new InvalidInputException("instructions", "needs one instruction per bucket: " + (thresholds.size() + 1)
                    + " for " + thresholds.size() + " thresholds, got " + instructions.size());
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < instructions.size(); i++) {
            String s = instructions.get(i);
            if (s.isBlank()) {
                throw new InvalidInputException("instructions[" + i + "]", "must not be blank");
            }
            if (!seen.add(s)) {
                throw new InvalidInputException("instructions[" + i + "]", "'" + s + "' is given twice; buckets need different instructions");
            }
        }
    }

    /** The defaults: three buckets, wrong, partly correct and correct. */
    public static HindsightGradedConfig defaults() {
        return new HindsightGradedConfig(null, null, null, null, null);
    }

    private static <T> List<T> withoutGaps(List<T> values, String field) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidInputException(field + "[" + i + "]", "is empty");
            }
        }
        return List.copyOf(values);
    }

    private static List<String> defaultInstructions(int thresholdCount) {
        if (thresholdCount == 1) {
            return List.of(Variant.WRONG, Variant.PAPER_CORRECT);
        }
        if (thresholdCount == 2) {
            return List.of(Variant.WRONG, PARTLY_CORRECT, Variant.PAPER_CORRECT);
        }
        throw new InvalidInputException("instructions", "required with " + thresholdCount
                + " thresholds: there are default instructions for 1 or 2 thresholds only");
    }
}
