package dev.hir.core.relabel;

import static dev.hir.core.relabel.RelabelFixtures.EXACT;
import static dev.hir.core.relabel.RelabelFixtures.ctx;
import static dev.hir.core.relabel.RelabelFixtures.episode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Episode;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.testkit.RelabelingContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference code's variant of sub-output relabeling (offline_trainer.py). */
class HindsightSubgoalReferenceTest extends RelabelingContract {
    private static final String CORRECT = "Solve the question with correct answer.";
    private static final String REFERENCE_CORRECT = "Solve question with correct answer.";
    private static final String WRONG = "Solve the question with wrong answer.";

    @Override
    protected RelabelingFactory<?> factory() {
        return new HindsightSubgoalFactory();
    }

    @Override
    protected RelabelingStrategy createStrategy() {
        return HindsightSubgoalFactoryTest.strategy("variant: reference");
    }

    private List<TrainingExample> draws(Episode e, int n) {
        var s = createStrategy();
        RelabelingContext c = ctx(EXACT, new Random(11));
        var all = new ArrayList<TrainingExample>();
        for (int i = 0; i < n; i++) {
            all.addAll(s.relabel(e, c));
        }
        return all;
    }

    @Test
    void cutsStartAtEvenPiecesAndEndAtOddOffsetsUniformly() {
        // 9 pieces + end-of-sequence: L = 10, start in {0,2,4,6}, end in {start+1, start+3, ..., <= 10}.
        String output = "xyzxyzxyz";
        int length = output.length() + 1;
        int n = 8000;
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (TrainingExample t : draws(episode("5", output), n)) {
            int start = t.outputPrefix().length();
            int pieces = t.target().length();
            // A cut reaching the end-of-sequence token keeps the whole rest of the output.
            int end = pieces % 2 == 1 ? start + pieces : length;
            assertEquals(0, start % 2, t::toString);
            assertTrue(start <= length - 4, t::toString);
            assertEquals(1, (end - start) % 2, t::toString);
            if (pieces % 2 == 0) {
                assertEquals(output.length(), start + pieces, "an even-length target must run to the end: " + t);
            }
            assertTrue(t.endOfSequence(), "an unmatched cut keeps the end-of-sequence token: " + t);
            assertEquals(WRONG, t.instruction());
            counts.merge(List.of(start, end), 1, Integer::sum);
        }
        int pairs = 0;
        for (int start = 0; start <= length - 4; start += 2) {
            int ends = (length - start + 1) / 2;
            for (int end = start + 1; end <= length; end += 2) {
                double expected = n / 4.0 / ends;
                int seen = counts.getOrDefault(List.of(start, end), 0);
                assertTrue(Math.abs(seen - expected) < 0.2 * expected,
                        "start " + start + " end " + end + ": " + seen + " draws, expected about " + expected);
                pairs++;
            }
        }
        assertEquals(pairs, counts.size(), "cuts outside the rule: " + counts.keySet());
    }

    @Test
    void outputsOfAtMostTwoPiecesAreRelabeledWhole() {
        for (String output : List.of("", "a", "ab")) {
            for (TrainingExample t : draws(episode("5", output), 5)) {
                assertEquals(new TrainingExample(WRONG, List.of(CORRECT), t.example(), "", output, true, 1.0), t);
            }
        }
    }

    @Test
    void wrongOutputWhoseBeginningMatchesTheGoldFlipsToCorrect() {
        // "abcd" is wrong for "abc"; L = 5, so start = 0 and end is 1, 3 or 5.
        Map<String, TrainingExample> byTarget = new HashMap<>();
        for (TrainingExample t : draws(episode("abc", "abcd"), 200)) {
            byTarget.put(t.target(), t);
        }
        var example = byTarget.get("a").example();
        assertEquals(Map.of(
                "a", new TrainingExample(CORRECT, List.of(WRONG), example, "", "a", false, 1.0),
                "abc", new TrainingExample(CORRECT, List.of(WRONG), example, "", "abc", true, 1.0),
                "abcd", new TrainingExample(WRONG, List.of(CORRECT), example, "", "abcd", true, 1.0)), byTarget);
    }

    @Test
    void beginningIsComparedWithTheGoldAfterTheReferenceNormalization() {
        // y[:9] = "BLUE CAR." normalizes to "bluecar", as does the gold "Blue car.".
        var flipped = draws(episode("Blue car.", "BLUE CAR.x"), 400).stream()
                .filter(t -> (t.outputPrefix() + t.target()).equals("BLUE CAR."))
                .toList();
        assertTrue(!flipped.isEmpty());
        for (TrainingExample t : flipped) {
            assertEquals(CORRECT, t.instruction());
            assertTrue(t.endOfSequence());
        }
    }

    @Test
    void correctOutputsNeverFlipToWrong() {
        var all = draws(episode("abcdef", "abcdef"), 300);
        assertTrue(all.stream().map(TrainingExample::target).distinct().count() > 3);
        for (TrainingExample t : all) {
            assertEquals(REFERENCE_CORRECT, t.instruction(), t::toString);
            assertEquals(List.of(WRONG), t.contrastInstructions());
            // Every beginning of the gold is a substring of it: the target ends with end-of-sequence only
            // when it reaches the end of the output.
            assertEquals(t.outputPrefix().length() + t.target().length() == 6, t.endOfSequence(), t::toString);
        }
    }

    @Test
    void unmatchedWrongBeginningsStayWrong() {
        for (TrainingExample t : draws(episode("abc", "xbcdefg"), 200)) {
            assertEquals(WRONG, t.instruction(), t::toString);
            assertTrue(t.endOfSequence());
        }
    }
}
