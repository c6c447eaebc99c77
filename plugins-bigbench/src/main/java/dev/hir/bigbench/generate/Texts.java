package dev.hir.bigbench.generate;

import dev.hir.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

/** English bits the BBH templates share. */
final class Texts {
    static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty");
    static final List<String> ORDINALS = List.of("zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
            "seventh");

    private Texts() {}

    /** {@code "a, b, and c"}; BBH keeps the comma even for two items ({@code "a, and b"}). */
    static String joinAnd(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.get(items.size() - 1);
    }

    /** The indefinite article BBH uses: "an" before a written vowel. */
    static String article(String noun) {
        return "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an" : "a";
    }

    /** {@code k} distinct elements in random order. */
    static <T> List<T> pick(List<T> pool, int k, Random random) {
        if (k > pool.size()) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + pool.size());
        }
        var copy = new ArrayList<>(pool);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(copy.size() - i);
            var t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return List.copyOf(copy.subList(0, k));
    }

    /** A random permutation of {@code 0..n-1}. */
    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The letter label of an option index: 0 → "(A)". */
    static String letter(int index) {
        return "(" + (char) ('A' + index) + ")";
    }

    /** The {@code Options:} block: "\nOptions:\n(A) x\n(B) y". */
    static String options(List<String> options) {
        var sb = new StringBuilder("\nOptions:");
        for (int i = 0; i < options.size(); i++) {
            sb.append('\n').append(letter(i)).append(' ').append(options.get(i));
        }
        return sb.toString();
    }

    /** The scenarios named by {@code keys}, in that order; all of them when {@code keys} is empty. */
    static <S> List<S> select(List<S> all, List<String> keys, Function<S, String> key) {
        if (keys.isEmpty()) {
            return all;
        }
        var out = new ArrayList<S>();
        for (String k : keys) {
            out.add(all.stream().filter(s -> key.apply(s).equals(k)).findFirst().orElseThrow(() ->
                    new InvalidInputException("scenarios", "unknown scenario '" + k + "', expected one of "
                            + all.stream().map(key).toList())));
        }
        return List.copyOf(out);
    }

    /** A regex alternation of literal strings, longest first so that no prefix wins. */
    static String alternation(List<String> words) {
        return String.join("|", words.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).toList());
    }
}
