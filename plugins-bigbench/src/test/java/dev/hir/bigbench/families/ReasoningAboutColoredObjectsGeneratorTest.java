package dev.hir.bigbench.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReasoningAboutColoredObjectsGeneratorTest {

    private static final String FAMILY = ReasoningAboutColoredObjectsGenerator.FAMILY;
    private final ReasoningAboutColoredObjectsGenerator generator = new ReasoningAboutColoredObjectsGenerator();
    private final List<RealBbh.Item> real = RealBbh.load(FAMILY);

    @Test
    void passesTheGeneratorContractChecks() {
        GeneratorChecks.runAll(generator);
    }

    @Test
    void solverReproducesRealGoldOnAtLeast95Percent() {
        double acc = GeneratorChecks.solverAccuracy(FAMILY, real, ReasoningAboutColoredObjectsGenerator::solve);
        assertTrue(acc >= 0.95, "solver accuracy " + acc);
    }

    @Test
    void templatesReadEveryRealSceneQuestionAndOptionList() {
        var optionLists = List.of(ReasoningAboutColoredObjectsGenerator.COLORS,
                ReasoningAboutColoredObjectsGenerator.NUMBERS,
                ReasoningAboutColoredObjectsGenerator.NUMBERS.subList(0, 7),
                ReasoningAboutColoredObjectsGenerator.YES_NO);
        int parsed = 0;
        for (RealBbh.Item item : real) {
            var p = MultipleChoice.parse(item.input()).orElseThrow();
            var sq = ReasoningAboutColoredObjectsGenerator.read(p.stem());
            if (sq.isPresent() && ReasoningAboutColoredObjectsGenerator.isTemplateQuestion(sq.get().getValue())
                    && optionLists.contains(p.options())) {
                parsed++;
            } else {
                System.out.println("[" + FAMILY + "] not in template form: real #" + item.index() + ": " + p.stem());
            }
        }
        System.out.printf("[%s] templates parse %d/%d real inputs%n", FAMILY, parsed, real.size());
        assertEquals(real.size(), parsed);
    }

    @Test
    void solverAgreesWithGeneratedGoldAtEveryLevel() {
        GeneratorChecks.solverAgreesWithGenerator(generator, ReasoningAboutColoredObjectsGenerator::solve, 400);
    }

    @Test
    void generatedInputsAreInTheTemplateFormsAtEveryLevel() {
        GeneratorChecks.generatedInputsAreInTemplateForm(generator, ReasoningAboutColoredObjectsGenerator::inTemplateForm, 200);
    }

    @Test
    void generatedQuestionsAlmostNeverRepeatARealQuestion() {
        assertTrue(GeneratorChecks.realQuestionShare(generator, real, 2000) <= 0.01);
    }

    @Test
    void generatedExamplesNeverCoincideWithRealOnes() {
        GeneratorChecks.neverCoincidesWithReal(generator, real, 3000);
    }

    @Test
    void questionKindsFollowTheRealMixAndAnswersAreBalancedWithinEachKind() {
        Random r = new Random(41);
        int n = 4000;
        Map<String, Integer> kinds = new HashMap<>();
        Map<String, Integer> colorAnswers = new HashMap<>();
        int colorQuestions = 0;
        int yes = 0;
        int yesNo = 0;
        for (int i = 0; i < n; i++) {
            Example e = generator.generate(generator.defaultLevel(), r);
            kinds.merge(e.metadata().get("kind"), 1, Integer::sum);
            String answer = e.options().get(MultipleChoice.index(e.target()));
            if (e.options().equals(ReasoningAboutColoredObjectsGenerator.COLORS)) {
                colorQuestions++;
                colorAnswers.merge(answer, 1, Integer::sum);
            } else if (e.options().equals(ReasoningAboutColoredObjectsGenerator.YES_NO)) {
                yesNo++;
                yes += answer.equals("yes") ? 1 : 0;
            }
        }
        for (var kind : ReasoningAboutColoredObjectsGenerator.Kind.values()) {
            double share = kinds.getOrDefault(kind.name().toLowerCase(java.util.Locale.ROOT), 0) / (double) n;
            assertEquals(kind.realCount / 250.0, share, 0.03, kind + " " + kinds);
        }
        for (String color : ReasoningAboutColoredObjectsGenerator.COLORS) {
            double share = colorAnswers.getOrDefault(color, 0) / (double) colorQuestions;
            assertTrue(share > 0.5 / 18 && share < 2.0 / 18, color + " " + colorAnswers);
        }
        // Real: 14 yes, 13 no.
        assertEquals(0.5, yes / (double) yesNo, 0.06);
    }

    @Test
    void levelZeroAnswerIsAColourWrittenInTheScene() {
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(0, r);
            String answer = e.options().get(MultipleChoice.index(e.target()));
            assertTrue(GeneratorChecks.stem(e).contains(" " + answer + " "), e.input());
            assertTrue(List.of("color_of", "most").contains(e.metadata().get("kind")));
        }
    }

    @Test
    void latentStatesDescribeEachListedObject() {
        Random r = new Random(43);
        for (int i = 0; i < 200; i++) {
            Example e = generator.generate(2, r);
            for (var s : e.states().subList(0, e.states().size() - 1)) {
                String text = e.input().substring(s.start(), s.end());
                assertTrue(text.contains(s.values().get("color")), text + " " + s.values());
            }
            assertEquals(e.options().get(MultipleChoice.index(e.target())),
                    e.states().get(e.states().size() - 1).values().get("answer"));
        }
    }

    @Test
    void rejectsCountsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> new ReasoningAboutColoredObjectsGenerator(0));
        assertThrows(IllegalArgumentException.class, () -> new ReasoningAboutColoredObjectsGenerator(5));
    }
}
