package dev.hir.feedback;

/** Builds the short, one-line reason strings of {@link dev.hir.api.Feedback}. */
final class Reasons {
    private static final int MAX_SHOWN = 60;

    private Reasons() {}

    /** The text in quotes, on one line, cut to a readable length. */
    static String quote(String text) {
        String oneLine = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        if (oneLine.length() > MAX_SHOWN) {
            oneLine = oneLine.substring(0, MAX_SHOWN) + "…";
        }
        return "\"" + oneLine + "\"";
    }

    /** {@code expected X, got Y}, both quoted. */
    static String expectedGot(String expected, String got) {
        return "expected " + quote(expected) + ", got " + quote(got);
    }
}
