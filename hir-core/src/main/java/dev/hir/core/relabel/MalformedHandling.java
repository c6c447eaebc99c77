package dev.hir.core.relabel;

import java.util.Locale;

/**
 * What a relabeling strategy does with an output its feedback judged
 * {@link dev.hir.api.Feedback.Verdict#MALFORMED} (not an answer at all).
 */
public enum MalformedHandling {
    /** Relabel it like a wrong output (the paper and the reference code know no third kind). */
    WRONG,
    /**
     * Drop it. A from-scratch policy can flood the buffer with malformed samples, which then dominate the
     * "wrong" instruction (PILOT.md, finding 3).
     */
    SKIP;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
