package dev.hir.feedback;

/**
 * Configuration of {@code word-list}.
 *
 * @param caseSensitive whether letter case matters (default {@code false})
 */
public record WordListConfig(Boolean caseSensitive) {

    public WordListConfig {
        caseSensitive = caseSensitive != null && caseSensitive;
    }

    /** The defaults. */
    public static WordListConfig defaults() {
        return new WordListConfig(null);
    }
}
