package dev.hir.bigbench.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PenguinsInATableGeneratorTest {

    private final PenguinsInATableGenerator generator = new PenguinsInATableGenerator();
    private final List<RealBbh.Item> real = RealBbh.load(PenguinsInATableGenerator.FAMILY);

    @Test
    void passesTheGeneratorContractChecks() {
        GeneratorChecks.runAll(generator);
    }

    @Test
    void solverReproducesRealGoldOnAtLeast95Percent() {
        double acc = GeneratorChecks.solverAccuracy(PenguinsInATableGenerator.FAMILY, real,
                PenguinsInATableGenerator::solve);
        assertTrue(acc >= 0.95, "solver accuracy " + acc);
    }

    @Test
    void templatesReadEveryRealTableEditAndQuestion() {
        int parsed = 0;
        for (RealBbh.Item item : real) {
            var wq = MultipleChoice.parse(item.input()).flatMap(p -> PenguinsInATableGenerator.read(p.stem()));
            if (wq.isPresent() && PenguinsInATableGenerator.isTemplateQuestion(wq.get().getValue())) {
                parsed++;
            } else {
                System.out.println("[penguins_in_a_table] not in template form: real #" + item.index());
            }
        }
        System.out.printf("[penguins_in_a_table] templates parse %d/%d real inputs%n", parsed, real.size());
        assertEquals(real.size(), parsed);
    }

    @Test
    void solverAgreesWithGeneratedGoldAtEveryLevel() {
        GeneratorChecks.solverAgreesWithGenerator(generator, PenguinsInATableGenerator::solve, 300);
    }

    @Test
    void generatedInputsAreInTheTemplateFormsAtEveryLevel() {
        GeneratorChecks.generatedInputsAreInTemplateForm(generator, PenguinsInATableGenerator::inTemplateForm, 200);
    }

    @Test
    void generatedQuestionsAlmostNeverRepeatARealQuestion() {
        assertTrue(GeneratorChecks.realQuestionShare(generator, real, 2000) <= 0.01);
    }

    @Test
    void generatedExamplesNeverCoincideWithRealOnes() {
        GeneratorChecks.neverCoincidesWithReal(generator, real, 2000);
    }

    @Test
    void answerLettersAreRoughlyUniform() {
        // Real shares: A–D 0.21–0.24, E 0.12 (the added penguin's letter, and the top of the 1–5 counts).
        Map<Character, Double> shares = GeneratorChecks.letterShares(generator, 2000, 31);
        System.out.println("[penguins_in_a_table] generated letter shares " + shares);
        for (char c = 'A'; c <= 'E'; c++) {
            assertTrue(shares.getOrDefault(c, 0.0) > 0.08 && shares.getOrDefault(c, 0.0) < 0.32,
                    "share of " + c + ": " + shares);
        }
    }

    @Test
    void countingAndNamingQuestionsComeInTheRealProportions() {
        java.util.function.Predicate<List<String>> counting = o -> o.equals(List.of("1", "2", "3", "4", "5"))
                || o.equals(List.of("5", "6", "7", "8", "9"));
        double realCounting = real.stream()
                .filter(i -> counting.test(MultipleChoice.parse(i.input()).orElseThrow().options())).count()
                / (double) real.size();
        Random r = new Random(16);
        int n = 1500;
        int generatedCounting = 0;
        for (int i = 0; i < n; i++) {
            generatedCounting += counting.test(generator.generate(2, r).options()) ? 1 : 0;
        }
        System.out.printf("[penguins_in_a_table] counting questions: real %.2f generated %.2f%n", realCounting,
                generatedCounting / (double) n);
        assertEquals(realCounting, generatedCounting / (double) n, 0.07);
    }

    @Test
    void editsFollowTheRealFrequencies() {
        Random r = new Random(17);
        int edited = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            String input = generator.generate(2, r).input();
            if (input.contains(PenguinsInATableGenerator.ADD) || input.contains("We then delete")
                    || input.contains(PenguinsInATableGenerator.GIRAFFES)) {
                edited++;
            }
        }
        assertEquals(94.0 / 146, (double) edited / n, 0.05);
    }

    @Test
    void levelZeroAnswersAreCopiesOfOneCellOrRow() {
        Random r = new Random(18);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(0, r);
            assertFalse(e.input().contains("We now add") || e.input().contains("giraffes"), e.input());
            String answer = e.options().get(MultipleChoice.index(e.target()));
            String table = e.input().substring(0, e.input().indexOf("  For example"));
            assertTrue(table.contains(answer), e.input());
        }
    }

    @Test
    void latentStatesTrackTheRosterThroughEdits() {
        Random r = new Random(19);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(2, r);
            if (e.input().contains("We then delete the penguin named ")) {
                String deleted = e.input().split("We then delete the penguin named ")[1].split(" ")[0];
                var afterDelete = e.states().stream()
                        .filter(s -> e.input().substring(s.start(), s.end()).startsWith("We then delete"))
                        .findFirst().orElseThrow();
                assertFalse(afterDelete.values().get("penguins").contains(deleted + ","), e.input());
            }
            var last = e.states().get(e.states().size() - 1);
            assertEquals(e.options().get(MultipleChoice.index(e.target())), last.values().get("answer"));
        }
    }

    @Test
    void rejectsAnEditShareOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new PenguinsInATableGenerator(1.5));
    }
}
