package dev.hir.core.relabel;

import java.util.Locale;

/** The reference code's answer normalization (PAPER.md §4), as its sub-output rule applies it. */
final class ReferenceNormalization {
    private ReferenceNormalization() {}

    /** {@code pred.replace(" ", "").replace(".", "").lower()} — newlines are kept, as in offline_trainer.py. */
    static String prediction(String text) {
        return text.replace(" ", "").replace(".", "").toLowerCase(Locale.ROOT);
    }

    /** {@code str(gold).lower().replace("\n", " ").replace(" ", "").replace(".", "")}. */
    static String gold(String text) {
        return text.toLowerCase(Locale.ROOT).replace("\n", " ").replace(" ", "").replace(".", "");
    }
}
