package dev.hir.core.relabel;

import java.util.Locale;

/** Where the paper variant of {@code hindsight-subgoal} may cut a wrong output. */
public enum CutRange {
    /**
     * Only where the future part still decides the outcome: when the task's feedback can judge partial
     * outputs ({@link dev.hir.api.PrefixFeedback}), a wrong output is cut no later than the last point at
     * which its beginning could still have become a correct answer. Without a prefix check, anywhere.
     */
    DECISIVE,
    /** Anywhere between two token pieces. */
    ANYWHERE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
