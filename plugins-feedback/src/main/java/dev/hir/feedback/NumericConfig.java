package dev.hir.feedback;

/**
 * Configuration of {@code numeric}.
 *
 * @param words whether English number words ("eight", "twenty-one") are read as numbers (default
 *     {@code true}); without them such outputs are malformed
 */
public record NumericConfig(Boolean words) {

    public NumericConfig {
        words = words == null || words;
    }

    /** The defaults. */
    public static NumericConfig defaults() {
        return new NumericConfig(null);
    }
}
