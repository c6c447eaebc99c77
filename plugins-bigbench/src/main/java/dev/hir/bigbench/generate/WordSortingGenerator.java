package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * word_sorting: "Sort the following words alphabetically: List: …", answered by the words sorted and
 * joined by spaces. The default level (4) is the BBH setting, 2–20 distinct words; level 0 has one word
 * (the answer is a copy), then 2, 3–5 and 6–10 words. Latent state: each word's rank in the sorted list.
 * Words come from a vocabulary the factory supplies (by default the words of the real BBH task).
 */
public final class WordSortingGenerator implements FaithfulGenerator {
    private static final String PREFIX = "Sort the following words alphabetically: List: ";
    private static final Pattern SENTENCE = Pattern.compile(Pattern.quote(PREFIX) + "(\\S+(?: \\S+)*)");
    private static final int[][] LENGTHS = {{1, 1}, {2, 2}, {3, 5}, {6, 10}, {2, 20}};

    private final List<String> vocabulary;
    private final Set<String> known;

    /** @param vocabulary distinct words without spaces, at least 20 */
    public WordSortingGenerator(List<String> vocabulary) {
        this.vocabulary = List.copyOf(new java.util.TreeSet<>(vocabulary));
        if (this.vocabulary.size() < 20) {
            throw new InvalidInputException("wordList", "needs at least 20 distinct words, has " + this.vocabulary.size());
        }
        for (String w : this.vocabulary) {
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInputException("wordList", "word '" + w + "' is empty or contains a space");
            }
        }
        this.known = Set.copyOf(this.vocabulary);
    }

    @Override
    public String family() {
        return "word_sorting";
    }

    @Override
    public int levels() {
        return LENGTHS.length;
    }

    @Override
    public int defaultLevel() {
        return LENGTHS.length - 1;
    }

    @Override
    public Example generate(int level, Random random) {
        if (level < 0 || level >= levels()) {
            throw new IllegalArgumentException("level " + level + " not in [0, " + levels() + ")");
        }
        int k = LENGTHS[level][0] + random.nextInt(LENGTHS[level][1] - LENGTHS[level][0] + 1);
        List<String> words = Texts.pick(vocabulary, k, random);
        List<String> sorted = sorted(words);
        var text = new SpanText().append(PREFIX);
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                text.append(" ");
            }
            text.appendWithState(words.get(i), Map.of("word", words.get(i),
                    "rank", Integer.toString(sorted.indexOf(words.get(i)) + 1)));
        }
        return Generated.example(family(), level, "list", text, String.join(" ", sorted), List.of());
    }

    /** BBH sorts by code point, as Python's {@code sorted} does. */
    private static List<String> sorted(List<String> words) {
        var out = new ArrayList<>(words);
        out.sort((a, b) -> {
            int i = 0;
            while (i < a.length() && i < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(i);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
            }
            return Integer.compare(a.length(), b.length());
        });
        return out;
    }

    @Override
    public Optional<String> solve(String input) {
        Matcher m = SENTENCE.matcher(input);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", sorted(List.of(m.group(1).split(" ")))));
    }

    @Override
    public boolean parsesLine(String line) {
        Matcher m = SENTENCE.matcher(line);
        return m.matches() && known.containsAll(List.of(m.group(1).split(" ")));
    }
}
