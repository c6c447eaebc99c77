package dev.hir.bigbench.families;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.LatentState;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Generates date_understanding questions: one of the real scenario openings for a random date, one of the nine
 * real questions ("What is the date one week ago from today in MM/DD/YYYY?"), and five or six MM/DD/YYYY options
 * made of the answer and perturbations of it.
 *
 * <p>Levels: 0 states today's date verbatim and asks for today (the answer is a copy); 1 takes exactly one
 * step (a literal opening with a shifted question, or an opening that needs one inference with "today");
 * 2 is the BBH distribution (any opening, any question). Latent states: {@code today} on the opening,
 * {@code answer} on the question.
 */
public final class DateUnderstandingGenerator implements ExampleGenerator {

    /** The family name. */
    public static final String FAMILY = "date_understanding";

    /** One of the nine real questions and the shift it asks for. */
    record Question(String phrase, UnaryOperator<LocalDate> shift) {
        String text() {
            return "What is the date " + phrase + " in MM/DD/YYYY?";
        }
    }

    static final List<Question> QUESTIONS = List.of(
            new Question("today", d -> d),
            new Question("tomorrow", d -> d.plusDays(1)),
            new Question("yesterday", d -> d.minusDays(1)),
            new Question("24 hours later", d -> d.plusDays(1)),
            new Question("one week from today", d -> d.plusDays(7)),
            new Question("one week ago from today", d -> d.minusDays(7)),
            new Question("10 days ago", d -> d.minusDays(10)),
            // java.time clamps month/year arithmetic to the month's last day, as the real golds do (02/29 → 02/28).
            new Question("a month ago", d -> d.minusMonths(1)),
            new Question("one year ago from today", d -> d.minusYears(1)));

    private static final int LEVELS = 3;
    /** Share of real examples with five options instead of six (38 of 250). */
    static final double BBH_FIVE_OPTION_SHARE = 38.0 / 250;

    private final List<DateScenarios.Scenario> scenarios;
    private final double fiveOptionShare;
    private final boolean bbhConventions;

    /**
     * The BBH setting: all 39 real scenario templates, 15% of examples with five options, and the real golds'
     * conventions for the two scenarios where they depart from the calendar (see {@link #DateUnderstandingGenerator(List, double, boolean)}).
     */
    public DateUnderstandingGenerator() {
        this(scenarioNames(), BBH_FIVE_OPTION_SHARE, true);
    }

    /**
     * @param scenarioNames the opening templates to draw from (a subset of {@link #scenarioNames()}); level 0
     *     needs at least one literal one, level 1 uses whichever exist
     * @param fiveOptionShare probability of five instead of six options, in [0, 1]
     * @param bbhConventions label as the real data does where its golds are consistently off the calendar:
     *     "2015 is coming in 36 hours" means today is 12/29/2014, and "the US Thanksgiving of 2001" means
     *     11/22/2002 (2001's Thanksgiving date in the next year); {@code false} gives calendar-correct golds
     * @throws IllegalArgumentException for an unknown or empty template list or a share outside [0, 1]
     */
    public DateUnderstandingGenerator(List<String> scenarioNames, double fiveOptionShare, boolean bbhConventions) {
        if (scenarioNames.isEmpty()) {
            throw new IllegalArgumentException("no scenario templates");
        }
        List<DateScenarios.Scenario> chosen = new ArrayList<>();
        for (String name : scenarioNames) {
            chosen.add(DateScenarios.all(bbhConventions).stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario template: " + name)));
        }
        if (!(fiveOptionShare >= 0 && fiveOptionShare <= 1)) {
            throw new IllegalArgumentException("fiveOptionShare must be in [0, 1]: " + fiveOptionShare);
        }
        this.scenarios = List.copyOf(chosen);
        this.fiveOptionShare = fiveOptionShare;
        this.bbhConventions = bbhConventions;
    }

    /** Names of all scenario templates, in a stable order. */
    public static List<String> scenarioNames() {
        return DateScenarios.ALL.stream().map(DateScenarios.Scenario::name).toList();
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int levels() {
        return LEVELS;
    }

    @Override
    public int defaultLevel() {
        return LEVELS - 1;
    }

    @Override
    public Example generate(int level, Random random) {
        MultipleChoice.checkLevel(level, LEVELS);
        List<DateScenarios.Scenario> literal = scenarios.stream().filter(DateScenarios.Scenario::literal).toList();
        List<DateScenarios.Scenario> inferred = scenarios.stream().filter(s -> !s.literal()).toList();
        DateScenarios.Scenario scenario;
        Question question;
        if (level == 0 || (level == 1 && (inferred.isEmpty() || !literal.isEmpty() && random.nextBoolean()))) {
            List<DateScenarios.Scenario> pool = literal.isEmpty() ? scenarios : literal;
            scenario = pool.get(random.nextInt(pool.size()));
            question = level == 0 ? QUESTIONS.get(0) : QUESTIONS.get(1 + random.nextInt(QUESTIONS.size() - 1));
        } else if (level == 1) {
            scenario = inferred.get(random.nextInt(inferred.size()));
            question = QUESTIONS.get(0);
        } else {
            scenario = scenarios.get(random.nextInt(scenarios.size()));
            question = QUESTIONS.get(random.nextInt(QUESTIONS.size()));
        }
        DateScenarios.Rendered opening = scenario.render().apply(random);
        LocalDate answer = question.shift().apply(opening.today());
        int count = random.nextDouble() < fiveOptionShare ? 5 : 6;
        List<String> options = options(opening.today(), answer, count, random);
        int correct = random.nextInt(count);
        options.add(correct, DateText.padded(answer));
        String stem = opening.text() + " " + question.text();
        int questionStart = opening.text().length() + 1;
        List<LatentState> states = List.of(
                new LatentState(0, opening.text().length(), Map.of("today", DateText.padded(opening.today()))),
                new LatentState(questionStart, stem.length(), Map.of("answer", DateText.padded(answer))));
        return MultipleChoice.example(FAMILY, level, stem, options, correct, states)
                .withMetadata("template", scenario.name())
                .withMetadata("conventions", bbhConventions ? "bbh" : "calendar");
    }

    /**
     * {@code count - 1} wrong options, drawn in the proportions of the real ones (measured on the 250 real
     * examples: 59% the answer with a shifted day, 16% with a distant year, 8% with another month, about 7% each
     * with a shifted month and year or the answer to another question, 2% with a near year).
     */
    private static List<String> options(LocalDate today, LocalDate answer, int count, Random r) {
        Set<LocalDate> wrong = new LinkedHashSet<>();
        while (wrong.size() < count - 1) {
            double u = r.nextDouble();
            int sign = r.nextBoolean() ? 1 : -1;
            LocalDate candidate;
            if (u < 0.59) {
                candidate = answer.plusDays(sign * (1 + r.nextInt(30)));
            } else if (u < 0.75) {
                candidate = answer.withYear(answer.getYear() + sign * (4 + r.nextInt(90)));
            } else if (u < 0.83) {
                candidate = DateText.of(answer.getYear(), 1 + r.nextInt(12), answer.getDayOfMonth()).orElse(answer);
            } else if (u < 0.90) {
                candidate = answer.plusMonths(sign * (1 + r.nextInt(11))).plusYears(sign * r.nextInt(2));
            } else if (u < 0.98) {
                candidate = QUESTIONS.get(r.nextInt(QUESTIONS.size())).shift().apply(today);
            } else {
                candidate = answer.plusYears(sign * (1 + r.nextInt(3)));
            }
            if (!candidate.equals(answer)) {
                wrong.add(candidate);
            }
        }
        List<String> out = new ArrayList<>();
        for (LocalDate d : wrong) {
            out.add(DateText.padded(d));
        }
        java.util.Collections.shuffle(out, r);
        return out;
    }

    /**
     * The solver: reads a real or generated input (opening, question, options) and returns the letter index of
     * the option that equals the computed date.
     */
    static Optional<Integer> solve(String input) {
        return solve(input, true);
    }

    /** The solver under the BBH conventions or the calendar. */
    static Optional<Integer> solve(String input, boolean bbhConventions) {
        return MultipleChoice.parse(input).flatMap(p -> {
            Optional<Parts> parts = parts(p.stem(), bbhConventions);
            return parts.flatMap(x -> x.scenario().read(x.opening()).map(today -> x.question().shift().apply(today)))
                    .flatMap(answer -> p.indexOf(DateText.padded(answer)));
        });
    }

    /** Whether a whole input is in the generator's forms: a known opening, a known question, MM/DD/YYYY options. */
    static boolean inTemplateForm(String input) {
        return MultipleChoice.parse(input)
                .filter(p -> p.options().stream().allMatch(o -> o.matches("\\d{2}/\\d{2}/\\d{4}")))
                .flatMap(p -> parts(p.stem())).isPresent();
    }

    /** An input split into its opening (matched to a scenario) and its question. */
    record Parts(String opening, DateScenarios.Scenario scenario, Question question) {}

    static Optional<Parts> parts(String stem) {
        return parts(stem, true);
    }

    static Optional<Parts> parts(String stem, boolean bbhConventions) {
        int at = stem.lastIndexOf(" What is the date ");
        if (at < 0) {
            return Optional.empty();
        }
        String opening = stem.substring(0, at);
        String asked = stem.substring(at + 1);
        Optional<Question> question = QUESTIONS.stream().filter(q -> q.text().equals(asked)).findFirst();
        Optional<DateScenarios.Scenario> scenario = DateScenarios.all(bbhConventions).stream()
                .filter(s -> s.pattern().matcher(opening).matches()).findFirst();
        return question.flatMap(q -> scenario.map(s -> new Parts(opening, s, q)));
    }
}
