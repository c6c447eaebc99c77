package dev.hir.core.relabel;

import java.util.Locale;

/**
 * How a relabeling strategy honours {@link dev.hir.api.Episode#count()}, the number of identical samples
 * one deduplicated episode stands for.
 */
public enum CountHandling {
    /** One relabel whose loss weight is the count: the same gradient as keeping every copy, computed once. */
    WEIGHT,
    /**
     * As many independent relabels as the count, each of weight 1 (for sub-output relabeling each copy
     * gets its own cut).
     */
    REPEAT,
    /** One relabel of weight 1, whatever the count: the reference code's deduplication. */
    ONCE;

    int relabels(int count) {
        return this == REPEAT ? count : 1;
    }

    double weight(int count) {
        return this == WEIGHT ? count : 1.0;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
