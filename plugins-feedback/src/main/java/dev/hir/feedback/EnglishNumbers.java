package dev.hir.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Integers written in English words ("eight", "twenty-one", "one hundred and five", "minus three"),
 * both ways. The grammar is deliberately strict (each number has one spelling, up to the optional "and"
 * and hyphen-or-space), so that "one two" or "twelve hundred" are not numbers and the prefix check can
 * enumerate every accepted spelling.
 */
final class EnglishNumbers {
    private static final List<String> UNITS =
            List.of("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final List<String> TEENS = List.of("ten", "eleven", "twelve", "thirteen", "fourteen",
            "fifteen", "sixteen", "seventeen", "eighteen", "nineteen");
    private static final List<String> TENS =
            List.of("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety");
    private static final Map<String, Long> SCALES =
            Map.of("thousand", 1_000L, "million", 1_000_000L, "billion", 1_000_000_000L, "trillion", 1_000_000_000_000L);
    private static final List<String> SCALE_NAMES = List.of("trillion", "billion", "million", "thousand");
    /** Above this there is no scale word left. */
    static final long MAX = 999_999_999_999_999L;

    private EnglishNumbers() {}

    /**
     * The value of lower-case word tokens, or empty when they are not a number. An optional leading
     * "minus" or "negative" makes it negative (not for zero).
     */
    static Optional<Long> parse(List<String> tokens) {
        int i = 0;
        boolean negative = false;
        if (!tokens.isEmpty() && (tokens.get(0).equals("minus") || tokens.get(0).equals("negative"))) {
            negative = true;
            i++;
        }
        if (i >= tokens.size()) {
            return Optional.empty();
        }
        if (tokens.get(i).equals("zero")) {
            return i + 1 == tokens.size() && !negative ? Optional.of(0L) : Optional.empty();
        }
        long total = 0;
        long lastScale = Long.MAX_VALUE;
        var pos = new int[] {i};
        while (pos[0] < tokens.size()) {
            boolean and = false;
            if (total > 0 && tokens.get(pos[0]).equals("and")) {
                and = true;
                pos[0]++;
            }
            long chunk = chunk(tokens, pos);
            if (chunk <= 0 || (and && chunk >= 100)) {
                return Optional.empty();
            }
            if (pos[0] < tokens.size() && SCALES.containsKey(tokens.get(pos[0]))) {
                long scale = SCALES.get(tokens.get(pos[0]));
                if (and || scale >= lastScale) {
                    return Optional.empty();
                }
                total += chunk * scale;
                lastScale = scale;
                pos[0]++;
            } else {
                total += chunk;
                if (pos[0] < tokens.size()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(negative ? -total : total);
    }

    /** 1–999 from {@code [unit "hundred" ["and"]] [teen | ten [unit] | unit]}; 0 when nothing parses. */
    private static long chunk(List<String> tokens, int[] pos) {
        int i = pos[0];
        long value = 0;
        boolean needRest = false;
        int unit = UNITS.indexOf(at(tokens, i));
        if (unit > 0 && "hundred".equals(at(tokens, i + 1))) {
            value = unit * 100L;
            i += 2;
            if ("and".equals(at(tokens, i))) {
                needRest = true;
                i++;
            }
        }
        long rest = 0;
        int teen = TEENS.indexOf(at(tokens, i));
        int ten = TENS.indexOf(at(tokens, i));
        unit = UNITS.indexOf(at(tokens, i));
        if (teen >= 0) {
            rest = 10 + teen;
            i++;
        } else if (ten >= 2) {
            rest = ten * 10L;
            i++;
            int u = UNITS.indexOf(at(tokens, i));
            if (u > 0) {
                rest += u;
                i++;
            }
        } else if (unit > 0) {
            rest = unit;
            i++;
        }
        if (needRest && rest == 0) {
            return 0;
        }
        pos[0] = i;
        return value + rest;
    }

    private static String at(List<String> tokens, int i) {
        return i < tokens.size() ? tokens.get(i) : "";
    }

    /** The spelling of {@code 0 <= n <= MAX} without "and" or hyphens, as tokens. */
    static List<String> spell(long n) {
        if (n < 0 || n > MAX) {
            throw new IllegalArgumentException("cannot spell " + n);
        }
        if (n == 0) {
            return List.of("zero");
        }
        var tokens = new ArrayList<String>();
        long rest = n;
        for (String scaleName : SCALE_NAMES) {
            long scale = SCALES.get(scaleName);
            if (rest >= scale) {
                spellChunk((int) (rest / scale), tokens);
                tokens.add(scaleName);
                rest %= scale;
            }
        }
        if (rest > 0) {
            spellChunk((int) rest, tokens);
        }
        return tokens;
    }

    private static void spellChunk(int n, List<String> tokens) {
        if (n >= 100) {
            tokens.add(UNITS.get(n / 100));
            tokens.add("hundred");
        }
        int r = n % 100;
        if (r >= 20) {
            tokens.add(TENS.get(r / 10));
            if (r % 10 > 0) {
                tokens.add(UNITS.get(r % 10));
            }
        } else if (r >= 10) {
            tokens.add(TEENS.get(r - 10));
        } else if (r > 0) {
            tokens.add(UNITS.get(r));
        }
    }
}
