package dev.hir.feedback;

import dev.hir.api.InvalidInputException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Configuration of {@code regex}.
 *
 * @param pattern a Java regular expression (required) that finds the answer in the output: its capture
 *     group if it has one, else the whole match; at most one capturing group (use {@code (?:…)} for others)
 * @param ignoreCase whether the extracted answer is compared with the gold ignoring case (default
 *     {@code false}); to match the pattern itself without case, write {@code (?i)} in it
 */
public record RegexConfig(String pattern, Boolean ignoreCase) {

    public RegexConfig {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidInputException("pattern", "missing: give a regular expression that finds the answer");
        }
        int groups = compile(pattern).matcher("").groupCount();
        if (groups > 1) {
            throw new InvalidInputException("pattern", "has " + groups
                    + " capturing groups; keep one for the answer and write the others as (?:...)");
        }
        ignoreCase = ignoreCase != null && ignoreCase;
    }

    /** A configuration with the given pattern and the other defaults. */
    public static RegexConfig of(String pattern) {
        return new RegexConfig(pattern, null);
    }

    /** {@link #pattern()}, compiled. */
    public Pattern compiledPattern() {
        return compile(pattern);
    }

    private static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidInputException("pattern", "invalid regular expression: " + e.getDescription()
                    + " at index " + e.getIndex() + " of " + Reasons.quote(pattern), e);
        }
    }
}
