package dev.hir.bigbench.families;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The date spellings of date_understanding ("Jan 2, 1958", "May 9th, 2017", "Sept. 1st, 2021", "7/9/1972" …). */
final class DateText {

    static final List<String> MONTHS = List.of(
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December");
    static final List<String> ABBREVIATIONS = List.of(
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    // "Sept." is how the real data abbreviates September when it writes a period.
    static final List<String> DOTTED = List.of(
            "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.");
    static final List<String> ORDINAL_WORDS = List.of(
            "first", "second", "third", "fourth", "fifth", "sixth",
            "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth");
    static final List<String> NUMBER_WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen", "twenty");
    static final List<String> WEEKDAYS = List.of(
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    /** Any one date spelling the real data uses; {@link #parse} reads what this matches. */
    static final String DATE = "(\\d{1,2}/\\d{1,2}/\\d{4}|[A-Z][a-z]+\\.? \\d{1,2}(?:st|nd|rd|th)?, \\d{4})";
    static final String MONTH_DAY = "([A-Z][a-z]+\\.? \\d{1,2})";

    private static final Pattern SLASH = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern WORDY = Pattern.compile("([A-Z][a-z]+\\.?) (\\d{1,2})(?:st|nd|rd|th)?(?:, (\\d{4}))?");

    private DateText() {}

    /** MM/DD/YYYY, the answer format. */
    static String padded(LocalDate d) {
        return String.format(Locale.ROOT, "%02d/%02d/%04d", d.getMonthValue(), d.getDayOfMonth(), d.getYear());
    }

    /** M/D/YYYY without leading zeros. */
    static String slashed(LocalDate d) {
        return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear();
    }

    /** "Jan 2, 1958". */
    static String abbreviated(LocalDate d) {
        return ABBREVIATIONS.get(d.getMonthValue() - 1) + " " + d.getDayOfMonth() + ", " + d.getYear();
    }

    /** "April 30, 2021". */
    static String full(LocalDate d) {
        return MONTHS.get(d.getMonthValue() - 1) + " " + d.getDayOfMonth() + ", " + d.getYear();
    }

    /** "May 9th, 2017". */
    static String fullOrdinal(LocalDate d) {
        return MONTHS.get(d.getMonthValue() - 1) + " " + ordinal(d.getDayOfMonth()) + ", " + d.getYear();
    }

    /** "Sept. 1st, 2021". */
    static String dottedOrdinal(LocalDate d) {
        return DOTTED.get(d.getMonthValue() - 1) + " " + ordinal(d.getDayOfMonth()) + ", " + d.getYear();
    }

    /** "Dec 2". */
    static String abbreviatedMonthDay(LocalDate d) {
        return ABBREVIATIONS.get(d.getMonthValue() - 1) + " " + d.getDayOfMonth();
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** The month number (1..12) of a full, abbreviated or dotted month name. */
    static Optional<Integer> month(String name) {
        for (List<String> names : List.of(MONTHS, ABBREVIATIONS, DOTTED)) {
            int i = names.indexOf(name);
            if (i >= 0) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    /** Parses one date in any spelling; a missing year is taken from {@code defaultYear}. */
    static Optional<LocalDate> parse(String text, int defaultYear) {
        Matcher m = SLASH.matcher(text);
        if (m.matches()) {
            return of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        Matcher w = WORDY.matcher(text);
        if (w.matches()) {
            int year = w.group(3) == null ? defaultYear : Integer.parseInt(w.group(3));
            int day = Integer.parseInt(w.group(2));
            return month(w.group(1)).flatMap(mo -> of(year, mo, day));
        }
        return Optional.empty();
    }

    static Optional<LocalDate> parse(String text) {
        return parse(text, 2000);
    }

    static Optional<LocalDate> of(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Optional.empty();
        }
        return Optional.of(LocalDate.of(year, month, day));
    }
}
