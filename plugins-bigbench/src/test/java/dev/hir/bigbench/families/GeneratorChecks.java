package dev.hir.bigbench.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.LatentState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of {@code dev.hir.testkit.GeneratorContract} except factory discovery, which belongs to the module's
 * generator factory (these generators are not plugins by themselves), plus checks shared by all four families.
 */
final class GeneratorChecks {

    private GeneratorChecks() {}

    static void levelsAreConsistent(ExampleGenerator g) {
        assertTrue(g.levels() >= 1);
        assertTrue(g.defaultLevel() >= 0 && g.defaultLevel() < g.levels());
        assertThrows(IllegalArgumentException.class, () -> g.generate(g.levels(), new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> g.generate(-1, new Random(0)));
    }

    static void sameSeedGivesSameExamplesAtEveryLevel(ExampleGenerator g) {
        for (int level = 0; level < g.levels(); level++) {
            Random a = new Random(42);
            Random b = new Random(42);
            for (int i = 0; i < 20; i++) {
                assertEquals(g.generate(level, a), g.generate(level, b));
            }
        }
    }

    static void examplesCarryInputTargetAndValidLetter(ExampleGenerator g) {
        Random r = new Random(7);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < 50; i++) {
                Example e = g.generate(level, r);
                assertFalse(e.input().isBlank());
                assertFalse(e.target().isBlank());
                assertTrue(e.isMultipleChoice());
                int idx = e.target().charAt(1) - 'A';
                assertTrue(e.target().matches("\\([A-Z]\\)") && idx < e.options().size(), e.target());
                assertEquals(MultipleChoice.render(stem(e), e.options()), e.input(), "options rendered as in BBH");
                for (LatentState s : e.states()) {
                    assertTrue(s.end() <= e.input().length() && !s.values().isEmpty());
                }
            }
        }
    }

    static void differentSeedsGiveDifferentExamples(ExampleGenerator g) {
        Set<String> seen = new HashSet<>();
        Random r = new Random(1);
        for (int i = 0; i < 50; i++) {
            seen.add(g.generate(g.defaultLevel(), r).input());
        }
        assertTrue(seen.size() > 25, "generator repeats itself: " + seen.size() + " distinct of 50");
    }

    static void runAll(ExampleGenerator g) {
        levelsAreConsistent(g);
        sameSeedGivesSameExamplesAtEveryLevel(g);
        examplesCarryInputTargetAndValidLetter(g);
        differentSeedsGiveDifferentExamples(g);
    }

    static String stem(Example e) {
        return e.input().substring(0, e.input().indexOf("\nOptions:\n"));
    }

    /** No generated default-level example equals a real input (no test leakage). */
    static void neverCoincidesWithReal(ExampleGenerator g, List<RealBbh.Item> real, int n) {
        Set<String> inputs = real.stream().map(RealBbh.Item::input).collect(Collectors.toSet());
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            Example e = g.generate(g.defaultLevel(), r);
            assertFalse(inputs.contains(e.input()), () -> "generated a real BBH input: " + e.input());
        }
    }

    /**
     * Share of {@code n} default-level examples whose question (the text before the options) equals a real one;
     * printed, for the fidelity table.
     */
    static double realQuestionShare(ExampleGenerator g, List<RealBbh.Item> real, int n) {
        Set<String> stems = real.stream().map(i -> i.input().substring(0, i.input().indexOf("\nOptions:\n")))
                .collect(Collectors.toSet());
        Random r = new Random(12);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            String stem = stem(g.generate(g.defaultLevel(), r));
            if (stems.contains(stem)) {
                hits++;
                System.out.println("[" + g.family() + "] generated a real question: " + stem);
            }
        }
        double share = (double) hits / n;
        System.out.printf("[%s] %d of %d generated questions equal a real question (options differ)%n", g.family(),
                hits, n);
        return share;
    }

    /** Share of each gold letter among {@code n} default-level examples. */
    static Map<Character, Double> letterShares(ExampleGenerator g, int n, long seed) {
        Random r = new Random(seed);
        Map<Character, Double> shares = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            shares.merge(g.generate(g.defaultLevel(), r).target().charAt(1), 1.0 / n, Double::sum);
        }
        return shares;
    }

    /** Every generated example at every level is answered by the family's solver exactly as its gold says. */
    static void solverAgreesWithGenerator(ExampleGenerator g, Function<String, java.util.Optional<Integer>> solver,
            int perLevel) {
        Random r = new Random(5);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < perLevel; i++) {
                Example e = g.generate(level, r);
                assertEquals(java.util.Optional.of(MultipleChoice.index(e.target())), solver.apply(e.input()),
                        () -> "solver disagrees with the generator on: " + e.input());
            }
        }
    }

    /** Every generated input at every level is in the forms the family's templates parse on real data. */
    static void generatedInputsAreInTemplateForm(ExampleGenerator g, java.util.function.Predicate<String> inForm,
            int perLevel) {
        Random r = new Random(6);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < perLevel; i++) {
                Example e = g.generate(level, r);
                assertTrue(inForm.test(e.input()), () -> "not in template form: " + e.input());
            }
        }
    }

    /** Accuracy of a solver on real examples; prints every failure with its reason. */
    static double solverAccuracy(String family, List<RealBbh.Item> real,
            Function<String, java.util.Optional<Integer>> solver) {
        int right = 0;
        for (RealBbh.Item item : real) {
            var got = solver.apply(item.input());
            if (got.isPresent() && MultipleChoice.letter(got.get()).equals(item.target())) {
                right++;
            } else {
                System.out.println("[" + family + "] real #" + item.index() + " gold " + item.target() + " solver "
                        + got.map(MultipleChoice::letter).orElse("no parse") + ": "
                        + item.input().replace("\n", " | "));
            }
        }
        double acc = (double) right / real.size();
        System.out.printf("[%s] solver reproduces BBH gold on %d/%d = %.3f%n", family, right, real.size(), acc);
        return acc;
    }
}
