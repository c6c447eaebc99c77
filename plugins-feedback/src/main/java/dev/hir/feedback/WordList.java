package dev.hir.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The {@code word-list} feedback function; see {@link WordListFactory}. */
final class WordList implements PrefixFeedback {
    private static final Pattern SPACES = Pattern.compile(" +");
    private final boolean caseSensitive;

    WordList(WordListConfig config) {
        this.caseSensitive = config.caseSensitive();
    }

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        List<String> gold = goldWords(example);
        List<String> words = words(output);
        if (words.isEmpty()) {
            return Feedback.malformed("no words; expected " + gold.size());
        }
        int right = 0;
        int firstWrong = -1;
        for (int i = 0; i < Math.min(gold.size(), words.size()); i++) {
            if (gold.get(i).equals(words.get(i))) {
                right++;
            } else if (firstWrong < 0) {
                firstWrong = i;
            }
        }
        int compared = Math.max(gold.size(), words.size());
        if (right == compared) {
            return Feedback.correct("all " + compared + " words in order");
        }
        String reason = right + " of " + compared + " positions right";
        if (firstWrong >= 0) {
            reason += "; word " + (firstWrong + 1) + ": " + Reasons.expectedGot(gold.get(firstWrong), words.get(firstWrong));
        } else {
            reason += "; expected " + gold.size() + " words, got " + words.size();
        }
        return Feedback.wrong((double) right / compared, reason);
    }

    @Override
    public boolean isPrefixOfCorrect(Example example, String partialOutput) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(partialOutput, "partialOutput");
        List<String> gold = goldWords(example);
        String p = fold(ReferenceNormalization.dropDanglingHighSurrogate(AnswerText.plainSpaces(partialOutput)))
                .stripLeading();
        if (p.isEmpty()) {
            return true;
        }
        String[] tokens = SPACES.split(p.strip());
        int complete = p.endsWith(" ") ? tokens.length : tokens.length - 1;
        int last = gold.size() - 1;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean ok;
            if (i > last) {
                ok = AnswerText.isPeriods(t); // periods after the last word end the sentence
            } else if (i < complete) {
                ok = i < last ? t.equals(gold.get(i)) : stripPeriods(t).equals(gold.get(i));
            } else {
                ok = gold.get(i).startsWith(t) || (i == last && stripPeriods(t).equals(gold.get(i)));
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private List<String> goldWords(Example example) {
        List<String> gold = words(example.target());
        if (gold.isEmpty()) {
            throw new InvalidInputException(example.id(), "word-list target has no words");
        }
        return gold;
    }

    /** Case folded (unless case-sensitive), trailing periods dropped, split at white space. */
    private List<String> words(String text) {
        String s = AnswerText.trimAnswer(AnswerText.plainSpaces(fold(text)));
        return s.isEmpty() ? List.of() : List.of(SPACES.split(s));
    }

    private String fold(String s) {
        return caseSensitive ? s : PythonText.foldCase(s);
    }

    private static String stripPeriods(String word) {
        int end = word.length();
        while (end > 0 && word.charAt(end - 1) == '.') {
            end--;
        }
        return word.substring(0, end);
    }
}
