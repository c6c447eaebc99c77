package dev.hir.bigbench.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GeometricShapesGeneratorTest {

    private final GeometricShapesGenerator generator = new GeometricShapesGenerator();
    private final List<RealBbh.Item> real = RealBbh.load(GeometricShapesGenerator.FAMILY);

    @Test
    void passesTheGeneratorContractChecks() {
        GeneratorChecks.runAll(generator);
    }

    @Test
    void solverReproducesEveryRealGold() {
        double acc = GeneratorChecks.solverAccuracy(GeometricShapesGenerator.FAMILY, real,
                GeometricShapesGenerator::solve);
        assertEquals(1.0, acc);
    }

    @Test
    void everyRealPathAndOptionListIsInATemplateForm() {
        int parsed = 0;
        for (RealBbh.Item item : real) {
            var p = MultipleChoice.parse(item.input()).orElseThrow();
            String gold = p.options().get(MultipleChoice.index(item.target()));
            if (GeometricShapesGenerator.isTemplateForm(p.stem())
                    && p.options().equals(GeometricShapesGenerator.options(gold))) {
                parsed++;
            } else {
                System.out.println("[geometric_shapes] not in a template form: real #" + item.index());
            }
        }
        System.out.printf("[geometric_shapes] templates parse %d/%d real inputs%n", parsed, real.size());
        assertEquals(real.size(), parsed);
    }

    @Test
    void solverAgreesWithGeneratedGoldAtEveryLevel() {
        GeneratorChecks.solverAgreesWithGenerator(generator, GeometricShapesGenerator::solve, 500);
    }

    @Test
    void generatedInputsAreInTheTemplateFormsAtEveryLevel() {
        GeneratorChecks.generatedInputsAreInTemplateForm(generator, GeometricShapesGenerator::inTemplateForm, 200);
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
    void answerSharesFollowTheRealData() {
        // The option list is fixed, so letters cannot be uniform: each answer shape has its own letter. The
        // real shares are about 0.2 for (K) (ellipse and trapezoid) and 0.08–0.13 for each of the eight others.
        Map<Character, Double> generated = GeneratorChecks.letterShares(generator, 3000, 21);
        Map<Character, Double> realShares = new HashMap<>();
        real.forEach(x -> realShares.merge(x.target().charAt(1), 1.0 / real.size(), Double::sum));
        assertEquals(realShares.keySet(), generated.keySet());
        realShares.forEach((letter, share) -> assertEquals(share, generated.get(letter), 0.04,
                "share of " + letter + ": real " + realShares + " generated " + generated));
    }

    @Test
    void levelZeroShapesAreNamedByTheirCommandLetters() {
        Random r = new Random(13);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(0, r);
            String shape = e.options().get(MultipleChoice.index(e.target()));
            assertTrue(List.of("line", "sector", "ellipse").contains(shape), shape);
        }
    }

    @Test
    void levelOnePolygonsNeverRestartSoTheAnswerIsTheCountOfSegments() {
        Random r = new Random(14);
        for (int i = 0; i < 300; i++) {
            Example e = generator.generate(1, r);
            assertFalse(e.input().contains(" M "), e.input());
        }
    }

    @Test
    void latentStatesCountDistinctPoints() {
        Random r = new Random(15);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(2, r);
            String shape = e.options().get(MultipleChoice.index(e.target()));
            var last = e.states().get(e.states().size() - 1);
            assertEquals(shape, last.values().get("shape"));
            var beforeLast = e.states().get(e.states().size() - 2).values();
            int points = Integer.parseInt(beforeLast.get("points"));
            int expected = switch (shape) {
                case "line" -> 2;
                case "triangle" -> 3;
                case "kite", "trapezoid" -> 4;
                case "pentagon" -> 5;
                case "hexagon" -> 6;
                case "heptagon" -> 7;
                case "octagon" -> 8;
                default -> points;
            };
            assertEquals(expected, points, e.input());
        }
    }

    @Test
    void rejectsChancesOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new GeometricShapesGenerator(-0.1, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new GeometricShapesGenerator(0.4, 1.2));
    }
}
