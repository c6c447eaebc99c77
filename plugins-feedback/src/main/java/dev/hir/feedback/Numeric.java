package dev.hir.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The {@code numeric} feedback function; see {@link NumericFactory}. */
final class Numeric implements PrefixFeedback {
    /** "8", "-3", "+8", "1,024", "8.0"; grouped digits only in canonical groups of three. */
    private static final Pattern DIGITS = Pattern.compile("[+-]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\\.[0-9]+)?");
    private static final Pattern WORD_SEPARATOR = Pattern.compile("[ -]+");

    private final boolean words;
    /** The spellings of the gold last asked about: relabeling checks many prefixes of one example in a row. */
    private volatile Spellings lastSpellings;

    /** The patterns of every correct spelling of one gold value. */
    private record Spellings(BigDecimal gold, Pattern digits, Optional<Pattern> words) {}

    Numeric(NumericConfig config) {
        this.words = config.words();
    }

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        BigDecimal gold = gold(example);
        if (ReferenceNormalization.matches(output, example.target(), true, true)) {
            return Feedback.correct("answered " + gold.toPlainString());
        }
        String s = AnswerText.trimAnswer(AnswerText.plainSpaces(output));
        if (s.isEmpty()) {
            return Feedback.malformed("empty output; expected " + gold.toPlainString());
        }
        Optional<BigDecimal> value = parse(s, words);
        if (value.isEmpty()) {
            return Feedback.malformed("not a number: " + Reasons.quote(s) + "; expected " + gold.toPlainString());
        }
        return value.get().compareTo(gold) == 0
                ? Feedback.correct("answered " + gold.toPlainString())
                : Feedback.wrong(0.0, "expected " + gold.toPlainString() + ", got " + value.get().toPlainString());
    }

    @Override
    public boolean isPrefixOfCorrect(Example example, String partialOutput) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(partialOutput, "partialOutput");
        BigDecimal gold = gold(example);
        if (ReferenceNormalization.isPrefixOfMatch(partialOutput, example.target(), true, true)) {
            return true;
        }
        String p = ReferenceNormalization.dropDanglingHighSurrogate(AnswerText.plainSpaces(partialOutput));
        Spellings spellings = spellings(gold);
        if (canExtend(spellings.digits(), p)) {
            return true;
        }
        return words && spellings.words().map(w -> canExtend(w, p)).orElse(false);
    }

    private Spellings spellings(BigDecimal gold) {
        Spellings s = lastSpellings;
        if (s == null || s.gold().compareTo(gold) != 0) {
            s = new Spellings(gold, digitSpellings(gold), wordSpellings(gold));
            lastSpellings = s;
        }
        return s;
    }

    /** Whether {@code p} matches, or could be completed to match, the whole pattern. */
    private static boolean canExtend(Pattern pattern, String p) {
        var m = pattern.matcher(p);
        return m.matches() || m.hitEnd();
    }

    /** The value of a trimmed answer: digits, or words when enabled. */
    static Optional<BigDecimal> parse(String s, boolean words) {
        if (DIGITS.matcher(s).matches()) {
            return Optional.of(new BigDecimal(s.replace(",", "")));
        }
        if (!words) {
            return Optional.empty();
        }
        List<String> tokens = Arrays.asList(WORD_SEPARATOR.split(s.toLowerCase(Locale.ROOT), -1));
        if (tokens.contains("")) {
            return Optional.empty(); // a leading or trailing hyphen
        }
        return EnglishNumbers.parse(tokens).map(BigDecimal::valueOf);
    }

    private BigDecimal gold(Example example) {
        String target = AnswerText.trimAnswer(AnswerText.plainSpaces(example.target()));
        return parse(target, true).orElseThrow(() -> new InvalidInputException(
                example.id(), "numeric target " + Reasons.quote(example.target()) + " is not a number"));
    }

    /** Every digit string {@link #parse} reads as {@code gold}, with surrounding spaces and periods. */
    private static Pattern digitSpellings(BigDecimal gold) {
        BigDecimal abs = gold.abs().stripTrailingZeros();
        BigInteger whole = abs.toBigInteger();
        String fraction = abs.subtract(new BigDecimal(whole)).stripTrailingZeros().toPlainString();
        String sign = switch (gold.signum()) {
            case -1 -> "-";
            case 0 -> "[+-]?";
            default -> "\\+?";
        };
        String plain = "0*" + whole;
        String digits = whole.compareTo(BigInteger.valueOf(1000)) >= 0
                ? "(?:" + plain + "|" + Pattern.quote(String.format(Locale.ROOT, "%,d", whole)) + ")"
                : plain;
        String fractional = fraction.equals("0") ? "(?:\\.0+)?" : Pattern.quote(fraction.substring(1)) + "0*";
        return Pattern.compile(" *" + sign + digits + fractional + "[ .]*");
    }

    /** Every word spelling {@link #parse} reads as {@code gold} (and some more), or none for a fraction. */
    private static Optional<Pattern> wordSpellings(BigDecimal gold) {
        BigInteger whole;
        try {
            whole = gold.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            return Optional.empty();
        }
        if (whole.abs().compareTo(BigInteger.valueOf(EnglishNumbers.MAX)) > 0) {
            return Optional.empty();
        }
        String body = EnglishNumbers.spell(whole.abs().longValueExact()).stream()
                .collect(Collectors.joining("[ -]+(?:and[ -]+)?"));
        String sign = whole.signum() < 0 ? "(?:minus|negative)[ -]+" : "";
        return Optional.of(Pattern.compile(" *" + sign + body + "[ .]*", Pattern.CASE_INSENSITIVE));
    }
}
