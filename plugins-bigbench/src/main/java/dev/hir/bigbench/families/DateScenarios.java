package dev.hir.bigbench.families;

import static dev.hir.bigbench.families.DateText.DATE;
import static dev.hir.bigbench.families.DateText.MONTH_DAY;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opening sentences of date_understanding, one per real scenario, each able to render itself for a random
 * date and to read "today" back from a real sentence. Rendering and reading share one pattern, so the solver
 * checks exactly the templates the generator writes.
 */
final class DateScenarios {

    /** A rendered opening and the date it makes "today". */
    record Rendered(String text, LocalDate today) {}

    /**
     * One scenario template.
     *
     * @param name stable name, usable as a template-subset knob
     * @param literal whether the sentence states today's date verbatim (no reasoning step to find it)
     */
    record Scenario(
            String name,
            boolean literal,
            Pattern pattern,
            Function<Random, Rendered> render,
            Function<Matcher, Optional<LocalDate>> today) {

        /** Today's date if {@code text} is this scenario's sentence. */
        Optional<LocalDate> read(String text) {
            Matcher m = pattern.matcher(text);
            return m.matches() ? today.apply(m) : Optional.empty();
        }
    }

    static final int MIN_YEAR = 1890;
    static final int MAX_YEAR = 2030;
    private static final List<Integer> PALINDROME_YEARS = palindromeYears();

    /**
     * The templates with the real data's labelling conventions where its golds depart from the calendar but do so
     * consistently: "2015 is coming in 36 hours" makes today 12/29/2014 (not 12/30) in all its real questions, and
     * "Today is the US Thanksgiving of 2001" makes today 11/22/2002 (2001's date with the next year) in all of its.
     */
    static final List<Scenario> BBH = build(true);
    /** The same templates with calendar-correct dates. */
    static final List<Scenario> CALENDAR = build(false);
    static final List<Scenario> ALL = BBH;

    private DateScenarios() {}

    static List<Scenario> all(boolean bbhConventions) {
        return bbhConventions ? BBH : CALENDAR;
    }

    static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static LocalDate randomDate(Random r) {
        int year = MIN_YEAR + r.nextInt(MAX_YEAR - MIN_YEAR + 1);
        return LocalDate.of(year, 1, 1).plusDays(r.nextInt(Year.length(year)));
    }

    private static int randomYear(Random r) {
        return MIN_YEAR + r.nextInt(MAX_YEAR - MIN_YEAR + 1);
    }

    private static Optional<LocalDate> date(Matcher m, int group) {
        return DateText.parse(m.group(group));
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static Scenario s(String name, boolean literal, String regex, Function<Random, Rendered> render,
            Function<Matcher, Optional<LocalDate>> today) {
        return new Scenario(name, literal, Pattern.compile(regex), render, today);
    }

    private static List<Scenario> build(boolean bbh) {
        List<Scenario> l = new ArrayList<>();
        l.add(s("christmas_eve", false, "Today is Christmas Eve of (\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    return new Rendered("Today is Christmas Eve of " + y + ".", LocalDate.of(y, 12, 24));
                },
                m -> Optional.of(LocalDate.of(num(m, 1), 12, 24))));
        l.add(s("uk_format", false,
                "In the UK, people usually put the day before the month when formatting the date\\. "
                        + "Therefore, today is (\\d{2})/(\\d{2})/(\\d{4}) to them\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered(String.format(Locale.ROOT,
                            "In the UK, people usually put the day before the month when formatting the date. "
                                    + "Therefore, today is %02d/%02d/%04d to them.",
                            d.getDayOfMonth(), d.getMonthValue(), d.getYear()), d);
                },
                m -> DateText.of(num(m, 3), num(m, 2), num(m, 1))));
        l.add(s("anniversary_years", false,
                "Jane and John married on " + DATE + "\\. It is their (\\d+)-year anniversary today\\.",
                r -> {
                    LocalDate d = randomDate(r).minusYears(30);
                    int n = 1 + r.nextInt(30);
                    return new Rendered("Jane and John married on " + DateText.abbreviated(d) + ". It is their " + n
                            + "-year anniversary today.", d.plusYears(n));
                },
                m -> date(m, 1).map(d -> d.plusYears(num(m, 2)))));
        l.add(s("appointments_tomorrow", false,
                "Jane scheduled 3 apointments with 5 poeple for tomorrow \\((\\w{3}), " + DATE + "\\)\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    String dow = d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                    return new Rendered("Jane scheduled 3 apointments with 5 poeple for tomorrow (" + dow + ", "
                            + DateText.slashed(d) + ").", d.minusDays(1));
                },
                m -> date(m, 2).map(d -> d.minusDays(1))));
        l.add(s("meeting_tomorrow", false,
                "Today's meeting is rescheduled to 11 am tomorrow, " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today's meeting is rescheduled to 11 am tomorrow, " + DateText.padded(d) + ".",
                            d.minusDays(1));
                },
                m -> date(m, 1).map(d -> d.minusDays(1))));
        l.add(s("bookstore_visits", false,
                "Jane visits the bookstore on the (\\d+)(?:st|nd|rd|th) of each month starting from the ([A-Z][a-z]+) of "
                        + "(\\d{4})\\. It is her (\\d+)(?:st|nd|rd|th) visit to the bookstore today\\.",
                r -> {
                    LocalDate start = randomDate(r).withDayOfMonth(1 + r.nextInt(28));
                    int visit = 2 + r.nextInt(11);
                    return new Rendered("Jane visits the bookstore on the " + DateText.ordinal(start.getDayOfMonth())
                            + " of each month starting from the " + DateText.MONTHS.get(start.getMonthValue() - 1)
                            + " of " + start.getYear() + ". It is her " + DateText.ordinal(visit)
                            + " visit to the bookstore today.", start.plusMonths(visit - 1));
                },
                m -> DateText.month(m.group(2))
                        .flatMap(mo -> DateText.of(num(m, 3), mo, num(m, 1)))
                        .map(d -> d.plusMonths(num(m, 4) - 1))));
        l.add(s("eggs", false,
                "On " + DATE + " Jane bought (\\d+) eggs\\. She ate one per day\\. Today she ran out of eggs\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    int n = 5 + r.nextInt(56);
                    return new Rendered("On " + DateText.fullOrdinal(d) + " Jane bought " + n
                            + " eggs. She ate one per day. Today she ran out of eggs.", d.plusDays(n));
                },
                m -> date(m, 1).map(d -> d.plusDays(num(m, 2)))));
        l.add(s("tomorrow_is", false, "Tomorrow is " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Tomorrow is " + DateText.padded(d) + ".", d.minusDays(1));
                },
                m -> date(m, 1).map(d -> d.minusDays(1))));
        l.add(s("who_is_correct", false,
                "Jane thinks today is " + DATE + ", but John thinks today is " + DATE + "\\. (Jane|John) is correct\\.",
                r -> {
                    LocalDate jane = randomDate(r);
                    LocalDate john = jane.plusDays(1);
                    boolean janeRight = r.nextBoolean();
                    return new Rendered("Jane thinks today is " + DateText.slashed(jane) + ", but John thinks today is "
                            + DateText.slashed(john) + ". " + (janeRight ? "Jane" : "John") + " is correct.",
                            janeRight ? jane : john);
                },
                m -> date(m, m.group(3).equals("Jane") ? 1 : 2)));
        l.add(s("first_weekday_of_year", false,
                "The first day of (\\d{4}) is a ([A-Z][a-z]+day), and today is the first ([A-Z][a-z]+day) of (\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    LocalDate first = LocalDate.of(y, 1, 1);
                    DayOfWeek target = DayOfWeek.of(1 + r.nextInt(7));
                    return new Rendered("The first day of " + y + " is a " + weekday(first.getDayOfWeek())
                            + ", and today is the first " + weekday(target) + " of " + y + ".",
                            first.with(TemporalAdjusters.nextOrSame(target)));
                },
                m -> {
                    int y = num(m, 1);
                    int target = DateText.WEEKDAYS.indexOf(m.group(3));
                    return target < 0 || y != num(m, 4) ? Optional.empty()
                            : Optional.of(LocalDate.of(y, 1, 1)
                                    .with(TemporalAdjusters.nextOrSame(DayOfWeek.of(target + 1))));
                }));
        l.add(s("month_has_only", false,
                "Yesterday was (\\d{2})/(\\d{2})/(\\d{4})\\. Today could not be (\\d{2})/(\\d{2})/(\\d{4}) because "
                        + "([A-Z][a-z]+) has only (\\d+) days\\.",
                r -> {
                    LocalDate end = randomDate(r).with(TemporalAdjusters.lastDayOfMonth());
                    return new Rendered(String.format(Locale.ROOT,
                            "Yesterday was %s. Today could not be %02d/%02d/%04d because %s has only %d days.",
                            DateText.padded(end), end.getMonthValue(), end.getDayOfMonth() + 1, end.getYear(),
                            DateText.MONTHS.get(end.getMonthValue() - 1), end.getDayOfMonth()), end.plusDays(1));
                },
                m -> DateText.of(num(m, 3), num(m, 1), num(m, 2)).map(d -> d.plusDays(1))));
        l.add(s("appointment_later", true,
                "Today is " + DATE + "\\. Jane's appointment will be (\\d+) days later\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today is " + DateText.abbreviated(d) + ". Jane's appointment will be "
                            + (2 + r.nextInt(8)) + " days later.", d);
                },
                m -> date(m, 1)));
        l.add(s("days_since_quitting", false,
                "Jane quited her job on " + DATE + "\\. (\\d+) days have passed since then\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    int n = 2 + r.nextInt(399);
                    return new Rendered("Jane quited her job on " + DateText.abbreviated(d) + ". " + n
                            + " days have passed since then.", d.plusDays(n));
                },
                m -> date(m, 1).map(d -> d.plusDays(num(m, 2)))));
        l.add(s("palindrome_day", false,
                "Today is the palindrome day of (\\d{4}), because the MMDDYYYY format of the date is the same "
                        + "backwards as forwards\\.",
                r -> {
                    int y = PALINDROME_YEARS.get(r.nextInt(PALINDROME_YEARS.size()));
                    return new Rendered("Today is the palindrome day of " + y + ", because the MMDDYYYY format of "
                            + "the date is the same backwards as forwards.", palindrome(y).orElseThrow());
                },
                m -> palindrome(num(m, 1))));
        l.add(s("years_ago_like_yesterday", false,
                DATE + " is like yesterday to Jane, but that is actually ([a-z]+) years ago\\.",
                r -> {
                    LocalDate d = randomDate(r).minusYears(20);
                    int n = 2 + r.nextInt(19);
                    return new Rendered(DateText.abbreviated(d) + " is like yesterday to Jane, but that is actually "
                            + DateText.NUMBER_WORDS.get(n) + " years ago.", d.plusYears(n));
                },
                m -> {
                    int n = DateText.NUMBER_WORDS.indexOf(m.group(2));
                    return n < 0 ? Optional.empty() : date(m, 1).map(d -> d.plusYears(n));
                }));
        l.add(s("today_is", true, "Today is " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today is " + DateText.abbreviated(d) + ".", d);
                },
                m -> date(m, 1)));
        l.add(s("local_time", true, "The current local time is (\\d{1,2}):(\\d{2}) (am|pm) of " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered(String.format(Locale.ROOT, "The current local time is %d:%02d %s of %s.",
                            1 + r.nextInt(12), r.nextInt(60), r.nextBoolean() ? "am" : "pm", DateText.slashed(d)), d);
                },
                m -> date(m, 4)));
        l.add(s("pizzas_yesterday", false, "Yesterday, " + DATE + ", Jane ate 2 pizzas and 5 wings\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Yesterday, " + DateText.abbreviated(d) + ", Jane ate 2 pizzas and 5 wings.",
                            d.plusDays(1));
                },
                m -> date(m, 1).map(d -> d.plusDays(1))));
        l.add(s("last_day_of_month", false, "Jane is celebrating the last day of ([A-Z][a-z]+) (\\d{4})\\.",
                r -> {
                    LocalDate d = randomDate(r).with(TemporalAdjusters.lastDayOfMonth());
                    return new Rendered("Jane is celebrating the last day of "
                            + DateText.ABBREVIATIONS.get(d.getMonthValue() - 1) + " " + d.getYear() + ".", d);
                },
                m -> DateText.month(m.group(1)).map(mo -> YearMonth.of(num(m, 2), mo).atEndOfMonth())));
        l.add(s("new_year_in_36_hours", false, "(\\d{4}) is coming in 36 hours\\.",
                r -> {
                    int y = randomYear(r);
                    return new Rendered(y + " is coming in 36 hours.", LocalDate.of(y - 1, 12, bbh ? 29 : 30));
                },
                m -> Optional.of(LocalDate.of(num(m, 1) - 1, 12, bbh ? 29 : 30))));
        l.add(s("flight_tomorrow", false, "Jane booked a flight for tomorrow, " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Jane booked a flight for tomorrow, " + DateText.abbreviated(d) + ".",
                            d.minusDays(1));
                },
                m -> date(m, 1).map(d -> d.minusDays(1))));
        l.add(s("deadline_days_away", false, "The deadline is " + DATE + ", which is (\\d+) days away from now\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    int n = 2 + r.nextInt(9);
                    return new Rendered("The deadline is " + DateText.abbreviated(d) + ", which is " + n
                            + " days away from now.", d.minusDays(n));
                },
                m -> date(m, 1).map(d -> d.minusDays(num(m, 2)))));
        l.add(s("yesterday_was", false, "Yesterday was " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Yesterday was " + DateText.full(d) + ".", d.plusDays(1));
                },
                m -> date(m, 1).map(d -> d.plusDays(1))));
        l.add(s("ordinal_day_and_month", false,
                "Today is the ([a-z]+) day of the ([a-z]+) month of (\\d{4})\\.",
                r -> {
                    LocalDate d = LocalDate.of(randomYear(r), 1 + r.nextInt(12), 1 + r.nextInt(12));
                    return new Rendered("Today is the " + DateText.ORDINAL_WORDS.get(d.getDayOfMonth() - 1)
                            + " day of the " + DateText.ORDINAL_WORDS.get(d.getMonthValue() - 1) + " month of "
                            + d.getYear() + ".", d);
                },
                m -> DateText.of(num(m, 3), DateText.ORDINAL_WORDS.indexOf(m.group(2)) + 1,
                        DateText.ORDINAL_WORDS.indexOf(m.group(1)) + 1)));
        l.add(s("last_day_of_year", false, "This is the last day of (\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    return new Rendered("This is the last day of " + y + ".", LocalDate.of(y, 12, 31));
                },
                m -> Optional.of(LocalDate.of(num(m, 1), 12, 31))));
        l.add(s("it_is_today", true, "It is " + DATE + " today\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("It is " + DateText.slashed(d) + " today.", d);
                },
                m -> date(m, 1)));
        l.add(s("leap_birthday", false,
                "Jane was born on the last day of Feburary in (\\d{4})\\. Today is her (\\d+)-year-old birthday\\.",
                r -> {
                    int born = randomYear(r) - 40;
                    int age = 1 + r.nextInt(40);
                    return new Rendered("Jane was born on the last day of Feburary in " + born + ". Today is her "
                            + age + "-year-old birthday.", YearMonth.of(born + age, 2).atEndOfMonth());
                },
                m -> Optional.of(YearMonth.of(num(m, 1) + num(m, 2), 2).atEndOfMonth())));
        l.add(s("concert_delayed", false,
                "The concert was scheduled to be on " + DATE + ", but was delayed by one day to today\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("The concert was scheduled to be on " + DateText.padded(d)
                            + ", but was delayed by one day to today.", d.plusDays(1));
                },
                m -> date(m, 1).map(d -> d.plusDays(1))));
        l.add(s("watching_nfl", true, "Today is (\\d{1,2})/(\\d{1,2})\\. Jane is watching NFL (\\d{4})\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today is " + d.getMonthValue() + "/" + d.getDayOfMonth()
                            + ". Jane is watching NFL " + d.getYear() + ".", d);
                },
                m -> DateText.of(num(m, 3), num(m, 1), num(m, 2))));
        l.add(s("work_anniversary", false,
                "Jane got her job in (\\d{4})\\. Today is her (\\d+)-year work anniversary\\. She still remember that on "
                        + MONTH_DAY + ", her second day at work, she spilled coffee on her laptop\\.",
                r -> {
                    LocalDate start = randomDate(r).minusYears(20);
                    while (start.getMonthValue() == 12 && start.getDayOfMonth() == 31) {
                        start = start.minusDays(1);
                    }
                    int n = 1 + r.nextInt(20);
                    return new Rendered("Jane got her job in " + start.getYear() + ". Today is her " + n
                            + "-year work anniversary. She still remember that on "
                            + DateText.abbreviatedMonthDay(start.plusDays(1))
                            + ", her second day at work, she spilled coffee on her laptop.", start.plusYears(n));
                },
                m -> DateText.parse(m.group(3), num(m, 1)).map(d -> d.minusDays(1).plusYears(num(m, 2)))));
        l.add(s("golden_anniversary", false,
                "Jane and John married on " + DATE + "\\. Today is their golden wedding anniversary\\.",
                r -> {
                    LocalDate d = randomDate(r).minusYears(50);
                    return new Rendered("Jane and John married on " + DateText.abbreviated(d)
                            + ". Today is their golden wedding anniversary.", d.plusYears(50));
                },
                m -> date(m, 1).map(d -> d.plusYears(50))));
        l.add(s("thought_one_day_off", false,
                "Jane thought today is " + DATE + ", but today is in fact " + MONTH_DAY + ", which is 1 day later\\.",
                r -> {
                    LocalDate thought = randomDate(r);
                    while (thought.getMonthValue() == 12 && thought.getDayOfMonth() == 31) {
                        thought = randomDate(r);
                    }
                    LocalDate today = thought.plusDays(1);
                    return new Rendered("Jane thought today is " + DateText.slashed(thought) + ", but today is in fact "
                            + DateText.abbreviatedMonthDay(today) + ", which is 1 day later.", today);
                },
                m -> date(m, 1).map(d -> d.plusDays(1))));
        l.add(s("day_before_yesterday", false, "The day before yesterday was " + DATE + "\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("The day before yesterday was " + DateText.padded(d) + ".", d.plusDays(2));
                },
                m -> date(m, 1).map(d -> d.plusDays(2))));
        l.add(s("never_forget", true, "Today, " + DATE + ", is a day that we will never forget\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today, " + DateText.slashed(d) + ", is a day that we will never forget.", d);
                },
                m -> date(m, 1)));
        l.add(s("meteor_shower", true,
                "Today is (\\d{1,2})/(\\d{1,2}), and it is Jane's second time in the year (\\d{4}) to see a meteor "
                        + "shower\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("Today is " + d.getMonthValue() + "/" + d.getDayOfMonth()
                            + ", and it is Jane's second time in the year " + d.getYear() + " to see a meteor shower.",
                            d);
                },
                m -> DateText.of(num(m, 3), num(m, 1), num(m, 2))));
        l.add(s("a_week_ago", false, "It was " + DATE + " a week ago\\.",
                r -> {
                    LocalDate d = randomDate(r);
                    return new Rendered("It was " + DateText.dottedOrdinal(d) + " a week ago.", d.plusDays(7));
                },
                m -> date(m, 1).map(d -> d.plusDays(7))));
        l.add(s("thanksgiving", false,
                "In the US, Thanksgiving is on the fourth Thursday of November\\. Today is the US Thanksgiving of "
                        + "(\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    return new Rendered("In the US, Thanksgiving is on the fourth Thursday of November. Today is the "
                            + "US Thanksgiving of " + y + ".", thanksgiving(y, bbh));
                },
                m -> Optional.of(thanksgiving(num(m, 1), bbh))));
        l.add(s("end_of_quarter", false, "Today is the last day of the (first|second|third|fourth) quarter of (\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    int q = r.nextInt(4);
                    return new Rendered("Today is the last day of the " + DateText.ORDINAL_WORDS.get(q)
                            + " quarter of " + y + ".", YearMonth.of(y, 3 * q + 3).atEndOfMonth());
                },
                m -> Optional.of(YearMonth.of(num(m, 2), 3 * DateText.ORDINAL_WORDS.indexOf(m.group(1)) + 3)
                        .atEndOfMonth())));
        l.add(s("first_day_of_year", false, "Today is the first day of (\\d{4})\\.",
                r -> {
                    int y = randomYear(r);
                    return new Rendered("Today is the first day of " + y + ".", LocalDate.of(y, 1, 1));
                },
                m -> Optional.of(LocalDate.of(num(m, 1), 1, 1))));
        return List.copyOf(l);
    }

    private static String weekday(DayOfWeek d) {
        return DateText.WEEKDAYS.get(d.getValue() - 1);
    }

    static LocalDate thanksgiving(int year, boolean bbh) {
        LocalDate day = LocalDate.of(year, 11, 1).with(TemporalAdjusters.dayOfWeekInMonth(4, DayOfWeek.THURSDAY));
        return bbh ? day.withYear(year + 1) : day;
    }

    /** The day whose MMDDYYYY reads the same backwards, if the year has one. */
    static Optional<LocalDate> palindrome(int year) {
        String reversed = new StringBuilder(String.format(Locale.ROOT, "%04d", year)).reverse().toString();
        return DateText.of(year, Integer.parseInt(reversed.substring(0, 2)), Integer.parseInt(reversed.substring(2)));
    }

    /** Years 1000–2999 that have a palindrome day; wider than the other scenarios' years, which have only six. */
    private static List<Integer> palindromeYears() {
        List<Integer> years = new ArrayList<>();
        for (int y = 1000; y <= 2999; y++) {
            if (palindrome(y).isPresent()) {
                years.add(y);
            }
        }
        return years;
    }

    /** Year length without importing java.time.Year into every signature. */
    private static final class Year {
        static int length(int year) {
            return java.time.Year.of(year).length();
        }
    }
}
