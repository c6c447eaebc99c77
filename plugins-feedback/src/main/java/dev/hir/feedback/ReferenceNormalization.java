package dev.hir.feedback;

/**
 * The answer normalization of the HIR reference code (PAPER.md §4), reproduced character for character:
 *
 * <pre>
 * norm_pred = pred.replace(" ", "").replace(".", "").lower()     # evaluation maps "\n" to " " first
 * norm_gold = str(gold).lower().replace("\n", " ").replace(" ", "").replace(".", "")
 * </pre>
 *
 * <p>Only U+0020, U+002E and (when asked) U+000A are removed; tabs, carriage returns and other spaces stay,
 * as in Python. Lower case is Python's ({@link PythonText#lower}), applied after the removal for the output
 * and before it for the gold, as the reference does; the order matters only for a Greek capital sigma
 * next to a removed space.
 */
final class ReferenceNormalization {
    private ReferenceNormalization() {}

    /** {@code norm_pred}; {@code newlineAsSpace} is the evaluation script's extra first step. */
    static String output(String pred, boolean newlineAsSpace, boolean lowerCase) {
        String s = newlineAsSpace ? pred.replace("\n", " ") : pred;
        s = s.replace(" ", "").replace(".", "");
        return lowerCase ? PythonText.lower(s) : s;
    }

    /** {@code norm_gold}. */
    static String gold(String gold, boolean lowerCase) {
        String s = lowerCase ? PythonText.lower(gold) : gold;
        return s.replace("\n", " ").replace(" ", "").replace(".", "");
    }

    /** Whether the reference code judges {@code pred} equal to {@code gold}. */
    static boolean matches(String pred, String gold, boolean newlineAsSpace, boolean lowerCase) {
        return output(pred, newlineAsSpace, lowerCase).equals(gold(gold, lowerCase));
    }

    /**
     * Whether some continuation of {@code partial} would match {@code gold}. The comparison folds case
     * without context, because the sigma a partial output ends with can still change with what follows.
     */
    static boolean isPrefixOfMatch(String partial, String gold, boolean newlineAsSpace, boolean lowerCase) {
        String p = dropDanglingHighSurrogate(output(partial, newlineAsSpace, false));
        String g = gold(gold, lowerCase);
        if (lowerCase) {
            p = PythonText.foldCase(p);
            g = PythonText.foldCase(g);
        }
        return g.startsWith(p);
    }

    /** A partial output cut inside a surrogate pair: the missing half could complete it to anything. */
    static String dropDanglingHighSurrogate(String s) {
        return !s.isEmpty() && Character.isHighSurrogate(s.charAt(s.length() - 1))
                ? s.substring(0, s.length() - 1)
                : s;
    }
}
