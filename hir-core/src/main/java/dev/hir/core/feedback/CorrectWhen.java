package dev.hir.core.feedback;

import java.util.Locale;

/** When a {@code composite} feedback judges an output correct. */
public enum CorrectWhen {
    /** Every component judges it correct. */
    ALL,
    /** The weighted score reaches the configured threshold. */
    SCORE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
