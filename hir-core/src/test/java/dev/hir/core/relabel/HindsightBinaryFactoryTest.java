package dev.hir.core.relabel;

import static dev.hir.core.relabel.RelabelFixtures.EXACT;
import static dev.hir.core.relabel.RelabelFixtures.bind;
import static dev.hir.core.relabel.RelabelFixtures.ctx;
import static dev.hir.core.relabel.RelabelFixtures.episode;
import static dev.hir.core.relabel.RelabelFixtures.withCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.testkit.RelabelingContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class HindsightBinaryFactoryTest extends RelabelingContract {
    private static final String PAPER_CORRECT = "Solve the question with correct answer.";
    private static final String WRONG = "Solve the question with wrong answer.";

    @Override
    protected RelabelingFactory<?> factory() {
        return new HindsightBinaryFactory();
    }

    @Override
    protected RelabelingStrategy createStrategy() {
        return strategy("");
    }

    private static RelabelingStrategy strategy(String yaml) {
        return new HindsightBinaryFactory().create(bind(yaml, HindsightBinaryConfig.class), TestingPluginContext.create());
    }

    private static TrainingExample only(List<TrainingExample> relabels) {
        assertEquals(1, relabels.size(), relabels::toString);
        return relabels.get(0);
    }

    @Test
    void correctOutputIsLabeledCorrectAndContrastedWithWrong() {
        var t = only(strategy("").relabel(episode("5", "5"), ctx(EXACT, 1)));
        assertEquals(TrainingExample.full(PAPER_CORRECT, List.of(WRONG), t.example(), "5"), t);
    }

    @Test
    void wrongOutputIsLabeledWrongAndContrastedWithCorrect() {
        var t = only(strategy("").relabel(episode("5", "three"), ctx(EXACT, 1)));
        assertEquals(new TrainingExample(WRONG, List.of(PAPER_CORRECT), t.example(), "", "three", true, 1.0), t);
    }

    @Test
    void referenceVariantLabelsCorrectOutputsWithoutTheButContrastsWithTheEvaluationString() {
        var s = strategy("variant: reference");
        var right = only(s.relabel(episode("5", "5"), ctx(EXACT, 1)));
        var wrong = only(s.relabel(episode("5", "3"), ctx(EXACT, 1)));
        assertEquals("Solve question with correct answer.", right.instruction());
        assertEquals(List.of(WRONG), right.contrastInstructions());
        assertEquals(WRONG, wrong.instruction());
        assertEquals(List.of(PAPER_CORRECT), wrong.contrastInstructions());
    }

    @Test
    void explicitStringsOverrideTheVariant() {
        var s = strategy("""
                variant: reference
                correct_instruction: Answer correctly.
                wrong_instruction: Answer wrongly.
                """);
        var right = only(s.relabel(episode("5", "5"), ctx(EXACT, 1)));
        var wrong = only(s.relabel(episode("5", "3"), ctx(EXACT, 1)));
        assertEquals("Answer correctly.", right.instruction());
        assertEquals(List.of("Answer wrongly."), right.contrastInstructions());
        assertEquals("Answer wrongly.", wrong.instruction());
        // The reference variant still contrasts wrong outputs with the evaluation string unless told otherwise.
        assertEquals(List.of(PAPER_CORRECT), wrong.contrastInstructions());
        var paper = strategy("correct_instruction: Answer correctly.");
        assertEquals(List.of("Answer correctly."),
                only(paper.relabel(episode("5", "3"), ctx(EXACT, 1))).contrastInstructions());
    }

    @Test
    void malformedOutputIsRelabeledAsWrongUnlessSkipped() {
        var malformed = episode("5", "", Feedback.malformed("empty"));
        assertEquals(WRONG, only(strategy("").relabel(malformed, ctx(EXACT, 1))).instruction());
        assertEquals(List.of(), strategy("malformed: skip").relabel(malformed, ctx(EXACT, 1)));
        // Skipping malformed outputs keeps ordinary wrong ones.
        assertEquals(WRONG, only(strategy("malformed: skip").relabel(episode("5", "3"), ctx(EXACT, 1))).instruction());
    }

    @Test
    void countBecomesTheWeightByDefault() {
        var t = only(strategy("").relabel(withCount(episode("5", "3"), 3), ctx(EXACT, 1)));
        assertEquals(3.0, t.weight());
    }

    @Test
    void countRepeatsOrIsDroppedWhenConfigured() {
        var repeated = strategy("count_as: repeat").relabel(withCount(episode("5", "3"), 3), ctx(EXACT, 1));
        assertEquals(3, repeated.size());
        assertTrue(repeated.stream().allMatch(t -> t.weight() == 1.0));
        assertEquals(1.0, only(strategy("count_as: once").relabel(withCount(episode("5", "3"), 3), ctx(EXACT, 1))).weight());
        // The reference code keeps one copy of identical samples.
        assertEquals(1.0, only(strategy("variant: reference").relabel(withCount(episode("5", "3"), 3), ctx(EXACT, 1))).weight());
    }

    @Test
    void identicalLabelsAreRejectedNamingTheField() {
        var e = assertThrows(InvalidInputException.class,
                () -> bind("correct_instruction: Same.\nwrong_instruction: Same.", HindsightBinaryConfig.class));
        assertEquals("relabeling[0].wrong_instruction", e.source());
        var blank = assertThrows(InvalidInputException.class, () -> bind("wrong_instruction: ' '", HindsightBinaryConfig.class));
        assertEquals("relabeling[0].wrong_instruction", blank.source());
    }

    @Test
    void unknownKeysAndVariantsAreRejectedNamingTheField() {
        var key = assertThrows(InvalidInputException.class, () -> bind("corect_instruction: x", HindsightBinaryConfig.class));
        assertTrue(key.getMessage().contains("corect_instruction"), key.getMessage());
        var variant = assertThrows(InvalidInputException.class, () -> bind("variant: appendix", HindsightBinaryConfig.class));
        assertEquals("relabeling[0].variant", variant.source());
        assertTrue(variant.getMessage().contains("paper, reference"), variant.getMessage());
    }

    @Test
    void resolvedConfigBindsBackToItself() {
        for (String yaml : List.of("", "variant: reference", "count_as: repeat\nmalformed: skip\nwrong_instruction: No.")) {
            var config = bind(yaml, HindsightBinaryConfig.class);
            assertEquals(config, RelabelFixtures.roundTrip(config, HindsightBinaryConfig.class));
        }
        assertEquals(HindsightBinaryConfig.defaults(), bind("", HindsightBinaryConfig.class));
    }
}
