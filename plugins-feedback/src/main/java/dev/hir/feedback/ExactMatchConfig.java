package dev.hir.feedback;

import dev.hir.api.InvalidInputException;
import java.util.Locale;

/**
 * Configuration of {@code exact-match}.
 *
 * @param normalization {@code "reference"} (default): the HIR reference code's rule, which drops every
 *     space and period before comparing; {@code "trim"}: only surrounding whitespace is ignored
 * @param newlineAsSpace in {@code reference} mode, whether line breaks of the output are dropped like
 *     spaces, as the reference evaluation script does (default {@code true}); its sampler and verifier
 *     keep them ({@code false})
 * @param caseSensitive whether letter case matters (default {@code false}, as in the reference)
 */
public record ExactMatchConfig(String normalization, Boolean newlineAsSpace, Boolean caseSensitive) {

    /** The two comparison rules. */
    public enum Normalization {
        /** PAPER.md §4, bit for bit. */
        REFERENCE,
        /** Surrounding whitespace ignored, nothing else. */
        TRIM
    }

    public ExactMatchConfig {
        normalization = parse(normalization == null ? "reference" : normalization).name().toLowerCase(Locale.ROOT);
        newlineAsSpace = newlineAsSpace == null || newlineAsSpace;
        caseSensitive = caseSensitive != null && caseSensitive;
    }

    /** The defaults: the reference evaluation's rule. */
    public static ExactMatchConfig defaults() {
        return new ExactMatchConfig(null, null, null);
    }

    /** {@link #normalization()} as a value. */
    public Normalization normalizationMode() {
        return parse(normalization);
    }

    private static Normalization parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reference" -> Normalization.REFERENCE;
            case "trim" -> Normalization.TRIM;
            default -> throw new InvalidInputException(
                    "normalization", "unknown normalization '" + name + "'; use reference or trim");
        };
    }
}
