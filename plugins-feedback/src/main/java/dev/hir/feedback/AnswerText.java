package dev.hir.feedback;

/**
 * Small text steps the answer parsers share. Every Unicode white space ({@link Character#isWhitespace})
 * is first mapped to a plain space, so that parsing, comparing and prefix checks agree on one notion of
 * space.
 */
final class AnswerText {
    private AnswerText() {}

    /** Maps every white-space character to U+0020; prefixes stay prefixes. */
    static String plainSpaces(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isWhitespace(c) ? ' ' : c);
        }
        return b.toString();
    }

    /** Removes leading spaces and trailing spaces and periods ("Eight." or "(B) ." end a sentence). */
    static String trimAnswer(String plain) {
        int end = plain.length();
        while (end > 0 && (plain.charAt(end - 1) == ' ' || plain.charAt(end - 1) == '.')) {
            end--;
        }
        int start = 0;
        while (start < end && plain.charAt(start) == ' ') {
            start++;
        }
        return plain.substring(start, end);
    }

    /** Lower case, runs of spaces as one, trimmed like an answer: how option texts are compared. */
    static String comparable(String s) {
        return trimAnswer(PythonText.lower(plainSpaces(s)).replaceAll(" {2,}", " "));
    }

    /** Without any white space or period, case folded: the loosest form, used for prefix checks. */
    static String compact(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !Character.isWhitespace(c)) {
                b.append(c);
            }
        }
        return PythonText.foldCase(ReferenceNormalization.dropDanglingHighSurrogate(b.toString()));
    }

    /** Whether the text consists of periods only (possibly none). */
    static boolean isPeriods(String s) {
        return s.chars().allMatch(c -> c == '.');
    }
}
