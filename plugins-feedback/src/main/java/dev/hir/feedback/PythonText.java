package dev.hir.feedback;

/**
 * Python 3's {@code str.lower()} in Java, so that the reference normalization is reproduced bit for bit.
 *
 * <p>Why not {@code String.toLowerCase(Locale.ROOT)}: both use the full lower-case mapping (the only
 * unconditional special case is U+0130 → "i̇"), but they decide the Greek final sigma differently. Python
 * writes ς when Σ follows a cased letter, skipping case-ignorable characters, and no cased letter follows
 * it the same way; Java looks only inside the current word ({@code BreakIterator}), so e.g. "Α1Σ" becomes
 * "α1ς" in Java but "α1σ" in Python. Remaining difference: the Unicode version of the character tables
 * (Java 17 has Unicode 13), which matters only for characters added later.
 */
final class PythonText {
    private static final int CAPITAL_SIGMA = 0x3A3;

    private PythonText() {}

    /** {@code s.lower()} as CPython computes it. */
    static String lower(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                b.append(isFinalSigma(s, i) ? 'ς' : 'σ');
            } else if (cp == 0x130) {
                b.append("i\u0307");
            } else {
                b.appendCodePoint(Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /**
     * Lower case that never depends on context: every prefix of the input maps to a prefix of the output.
     * Final and medial sigma are merged, since which one a sigma gets depends on what follows it.
     */
    static String foldCase(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == 0x130) {
                b.append("i\u0307");
            } else {
                int lower = Character.toLowerCase(cp);
                b.appendCodePoint(lower == 'ς' ? 'σ' : lower);
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /** CPython's rule: \p{cased} \p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}). */
    private static boolean isFinalSigma(String s, int index) {
        int j = index;
        int before = -1;
        while (j > 0) {
            int cp = s.codePointBefore(j);
            j -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                before = cp;
                break;
            }
        }
        if (before < 0 || !isCased(before)) {
            return false;
        }
        j = index + 1;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            j += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
        }
        return true;
    }

    /** Unicode's Cased property: Lowercase, Uppercase or titlecase letter. */
    static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or Single_Quote. */
    static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT,
                    Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL -> {
                return true;
            }
            default -> {
                return switch (cp) {
                    // MidLetter
                    case 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A,
                            // MidNumLet
                            0x2E, 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E,
                            // Single_Quote
                            0x27 -> true;
                    default -> false;
                };
            }
        }
    }
}
