package dev.hir.core.relabel;

import static dev.hir.core.relabel.RelabelFixtures.EXACT;
import static dev.hir.core.relabel.RelabelFixtures.bind;
import static dev.hir.core.relabel.RelabelFixtures.ctx;
import static dev.hir.core.relabel.RelabelFixtures.episode;
import static dev.hir.core.relabel.RelabelFixtures.withCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.testkit.RelabelingContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HindsightGradedFactoryTest extends RelabelingContract {
    private static final String CORRECT = "Solve the question with correct answer.";
    private static final String PARTLY = "Solve the question with partly correct answer.";
    private static final String WRONG = "Solve the question with wrong answer.";

    @Override
    protected RelabelingFactory<?> factory() {
        return new HindsightGradedFactory();
    }

    @Override
    protected RelabelingStrategy createStrategy() {
        return strategy("");
    }

    private static RelabelingStrategy strategy(String yaml) {
        return new HindsightGradedFactory().create(bind(yaml, HindsightGradedConfig.class), TestingPluginContext.create());
    }

    private static TrainingExample relabel(RelabelingStrategy s, Feedback feedback) {
        var t = s.relabel(episode("a b c d", "a b x y", feedback), ctx(EXACT, 1));
        assertEquals(1, t.size(), t::toString);
        return t.get(0);
    }

    private static String instruction(RelabelingStrategy s, Feedback feedback) {
        return relabel(s, feedback).instruction();
    }

    @Test
    void scoresFallIntoTheDefaultBuckets() {
        var s = strategy("");
        assertEquals(WRONG, instruction(s, Feedback.wrong(0.0, "none")));
        assertEquals(WRONG, instruction(s, Feedback.wrong(0.49, "few")));
        assertEquals(PARTLY, instruction(s, Feedback.wrong(0.5, "half")));
        assertEquals(PARTLY, instruction(s, Feedback.wrong(0.99, "most")));
        assertEquals(CORRECT, instruction(s, Feedback.correct("all")));
    }

    @Test
    void otherBucketsAreTheContrastLowestFirst() {
        var s = strategy("");
        assertEquals(List.of(PARTLY, CORRECT), relabel(s, Feedback.wrong(0.1, "few")).contrastInstructions());
        assertEquals(List.of(WRONG, CORRECT), relabel(s, Feedback.wrong(0.6, "most")).contrastInstructions());
        assertEquals(List.of(WRONG, PARTLY), relabel(s, Feedback.correct("all")).contrastInstructions());
    }

    @Test
    void topBucketHoldsExactlyTheCorrectVerdictsByDefault() {
        var s = strategy("");
        // A composite with a score threshold can judge a 0.7 correct; a strict judge can call a 1.0 wrong.
        assertEquals(CORRECT, instruction(s, new Feedback(0.7, Feedback.Verdict.CORRECT, "enough", Map.of())));
        assertEquals(PARTLY, instruction(s, new Feedback(1.0, Feedback.Verdict.WRONG, "format", Map.of())));
        var byScore = strategy("top_is_correct: false");
        assertEquals(PARTLY, instruction(byScore, new Feedback(0.7, Feedback.Verdict.CORRECT, "enough", Map.of())));
        assertEquals(CORRECT, instruction(byScore, new Feedback(1.0, Feedback.Verdict.WRONG, "format", Map.of())));
    }

    @Test
    void customBucketsUseTheirOwnInstructions() {
        var s = strategy("""
                thresholds: [0.25, 0.75]
                instructions: [Answer badly., Answer roughly., Answer well.]
                top_is_correct: false
                """);
        assertEquals("Answer badly.", instruction(s, Feedback.wrong(0.2, "x")));
        assertEquals("Answer roughly.", instruction(s, Feedback.wrong(0.25, "x")));
        assertEquals("Answer well.", instruction(s, Feedback.wrong(0.8, "x")));
    }

    @Test
    void malformedOutputsAreBucketedByScoreUnlessSkipped() {
        assertEquals(WRONG, instruction(strategy(""), Feedback.malformed("no answer")));
        assertEquals(List.of(), strategy("malformed: skip").relabel(episode("5", "", Feedback.malformed("empty")), ctx(EXACT, 1)));
    }

    @Test
    void countBecomesTheWeight() {
        var t = strategy("").relabel(withCount(episode("5", "3"), 4), ctx(EXACT, 1));
        assertEquals(1, t.size());
        assertEquals(4.0, t.get(0).weight());
        assertEquals(4, strategy("count_as: repeat").relabel(withCount(episode("5", "3"), 4), ctx(EXACT, 1)).size());
    }

    @Test
    void badBucketsAreRejectedNamingTheField() {
        assertEquals("relabeling[0].thresholds[1]", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.5, 0.5]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].thresholds[0]", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.0, 0.5]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].thresholds[1]", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.5, 1.5]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].thresholds", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: []", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].instructions", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.5]\ninstructions: [a, b, c]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].instructions", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.2, 0.4, 0.6]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].instructions[1]", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.5]\ninstructions: [same, same]", HindsightGradedConfig.class)).source());
        assertEquals("relabeling[0].instructions[0]", assertThrows(InvalidInputException.class,
                () -> bind("thresholds: [0.5]\ninstructions: [~, b]", HindsightGradedConfig.class)).source());
    }

    @Test
    void oneThresholdDefaultsToThePapersTwoInstructions() {
        var config = bind("thresholds: [1.0]", HindsightGradedConfig.class);
        assertEquals(List.of(WRONG, CORRECT), config.instructions());
    }

    @Test
    void resolvedConfigBindsBackToItself() {
        for (String yaml : List.of("", "thresholds: [0.3]\ninstructions: [Low., High.]\ntop_is_correct: false")) {
            var config = bind(yaml, HindsightGradedConfig.class);
            assertEquals(config, RelabelFixtures.roundTrip(config, HindsightGradedConfig.class));
        }
        assertEquals(HindsightGradedConfig.defaults(), bind("", HindsightGradedConfig.class));
    }
}
