package dev.hir.core.feedback;

import java.util.Locale;

/** When a {@code composite} feedback judges an output malformed (this check comes before correctness). */
public enum MalformedWhen {
    /** Some component judges it malformed. */
    ANY,
    /** Every component judges it malformed. */
    ALL,
    /** Never: a component's malformed verdict counts as wrong. */
    NEVER;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
