package dev.hir.core.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A weighted combination of feedback functions. Every component judges every output (their scores are
 * reported even when one of them already decides), so it is as thread-safe and deterministic as they are.
 */
class CompositeFeedback implements FeedbackFunction, AutoCloseable {

    /**
     * A created component.
     *
     * @param name its name
     * @param weight its normalized weight
     * @param function the component function
     */
    record Component(String name, double weight, FeedbackFunction function) {}

    private final List<Component> components;
    private final CorrectWhen correctWhen;
    private final double threshold;
    private final MalformedWhen malformedWhen;

    CompositeFeedback(List<Component> components, CorrectWhen correctWhen, double threshold, MalformedWhen malformedWhen) {
        this.components = List.copyOf(components);
        this.correctWhen = correctWhen;
        this.threshold = threshold;
        this.malformedWhen = malformedWhen;
    }

    /** A composite that also offers a prefix check when that check is sound for its rule. */
    static CompositeFeedback of(List<Component> components, CorrectWhen correctWhen, double threshold,
            MalformedWhen malformedWhen) {
        // Only "all correct" makes every component's acceptance necessary for a correct output, so only
        // then is "every component accepts the beginning" a valid prefix check. A score threshold lets a
        // correct output fail some component, and nothing bounds what such a component will score.
        boolean prefixes = correctWhen == CorrectWhen.ALL
                && components.stream().allMatch(c -> c.function() instanceof PrefixFeedback);
        return prefixes
                ? new WithPrefixCheck(components, correctWhen, threshold, malformedWhen)
                : new CompositeFeedback(components, correctWhen, threshold, malformedWhen);
    }

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        var scores = new LinkedHashMap<String, Double>();
        var reasons = new ArrayList<String>(components.size());
        double weighted = 0.0;
        double total = 0.0;
        int correct = 0;
        int malformed = 0;
        for (Component c : components) {
            Feedback f = c.function().evaluate(example, output);
            scores.put(c.name(), f.score());
            f.components().forEach((sub, score) -> scores.put(c.name() + "." + sub, score));
            // With every score 1 this sums exactly the weights, so a fully correct output scores exactly 1.
            weighted += c.weight() * f.score();
            total += c.weight();
            correct += f.isCorrect() ? 1 : 0;
            malformed += f.verdict() == Feedback.Verdict.MALFORMED ? 1 : 0;
            reasons.add(c.name() + ": " + f.verdict().name().toLowerCase(Locale.ROOT) + " "
                    + format(f.score()) + " (" + f.reason() + ")");
        }
        double score = Math.max(0.0, Math.min(1.0, weighted / total));
        Feedback.Verdict verdict;
        if (isMalformed(malformed)) {
            verdict = Feedback.Verdict.MALFORMED;
            score = 0.0;
        } else if (correctWhen == CorrectWhen.ALL ? correct == components.size() : score >= threshold) {
            verdict = Feedback.Verdict.CORRECT;
        } else {
            verdict = Feedback.Verdict.WRONG;
        }
        String summary = correct + " of " + components.size() + " components correct, weighted score "
                + format(score) + ": " + String.join("; ", reasons);
        return new Feedback(score, verdict, summary, scores);
    }

    private boolean isMalformed(int malformed) {
        return switch (malformedWhen) {
            case ANY -> malformed > 0;
            case ALL -> malformed == components.size();
            case NEVER -> false;
        };
    }

    private static String format(double score) {
        return String.format(Locale.ROOT, "%.3f", score);
    }

    /** The components, in configuration order. */
    List<Component> components() {
        return components;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (Component c : components) {
            if (c.function() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A composite of components that all judge partial outputs, under {@link CorrectWhen#ALL}. */
    static final class WithPrefixCheck extends CompositeFeedback implements PrefixFeedback {
        WithPrefixCheck(List<Component> components, CorrectWhen correctWhen, double threshold, MalformedWhen malformedWhen) {
            super(components, correctWhen, threshold, malformedWhen);
        }

        @Override
        public boolean isPrefixOfCorrect(Example example, String partialOutput) {
            Objects.requireNonNull(example, "example");
            Objects.requireNonNull(partialOutput, "partialOutput");
            for (Component c : components()) {
                if (!((PrefixFeedback) c.function()).isPrefixOfCorrect(example, partialOutput)) {
                    return false;
                }
            }
            return true;
        }
    }
}
