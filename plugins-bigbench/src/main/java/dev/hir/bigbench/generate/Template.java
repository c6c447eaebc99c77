package dev.hir.bigbench.generate;

import java.util.regex.Pattern;

/**
 * A sentence template with {@code {}} slots, used both to write sentences and, as a regular expression,
 * to read them back from real inputs (so generator and solver cannot drift apart).
 */
final class Template {
    private final String[] parts;

    Template(String template) {
        this.parts = template.split("\\{}", -1);
    }

    int slots() {
        return parts.length - 1;
    }

    String format(String... values) {
        if (values.length != slots()) {
            throw new IllegalArgumentException("template needs " + slots() + " values, got " + values.length);
        }
        var sb = new StringBuilder(parts[0]);
        for (int i = 0; i < values.length; i++) {
            sb.append(values[i]).append(parts[i + 1]);
        }
        return sb.toString();
    }

    /** The template as a regular expression whose slots are the groups {@code slotRegex} (in order). */
    String regex(String... slotRegex) {
        var sb = new StringBuilder(quote(parts[0]));
        for (int i = 0; i < slots(); i++) {
            sb.append('(').append(slotRegex[Math.min(i, slotRegex.length - 1)]).append(')').append(quote(parts[i + 1]));
        }
        return sb.toString();
    }

    /** The same with non-capturing slots, for embedding in a larger expression. */
    String regexWithoutGroups(String... slotRegex) {
        var sb = new StringBuilder(quote(parts[0]));
        for (int i = 0; i < slots(); i++) {
            sb.append("(?:").append(slotRegex[Math.min(i, slotRegex.length - 1)]).append(')').append(quote(parts[i + 1]));
        }
        return sb.toString();
    }

    Pattern pattern(String... slotRegex) {
        return Pattern.compile(regex(slotRegex));
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : Pattern.quote(s);
    }
}
