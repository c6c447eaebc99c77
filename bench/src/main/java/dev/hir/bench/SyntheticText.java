package dev.hir.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded English-like text (pseudo-words with a skewed frequency), enough for the BPE trainer to learn a
 * vocabulary of a few thousand tokens, and for prompts and targets of a given rough length.
 */
final class SyntheticText {
    private static final String LETTERS = "etaoinshrdlucmfwypvbgkjqxz";
    private final String[] words;
    private final Random random;

    SyntheticText(long seed) {
        random = new Random(seed);
        words = new String[3000];
        for (int i = 0; i < words.length; i++) {
            int length = 2 + random.nextInt(8);
            StringBuilder w = new StringBuilder(length);
            for (int c = 0; c < length; c++) {
                // Skewed letter choice, so pairs repeat like in natural text.
                double u = random.nextDouble();
                w.append(LETTERS.charAt((int) (u * u * LETTERS.length())));
            }
            words[i] = w.toString();
        }
    }

    /** A sentence of about {@code n} words, frequent words more likely. */
    String sentence(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            s.append(i == 0 ? "" : " ").append(words[(int) (u * u * u * words.length)]);
        }
        return s.append('.').toString();
    }

    List<String> paragraphs(int count, int wordsEach) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sentence(wordsEach));
        }
        return out;
    }
}
