package dev.hir.core.relabel;

import static dev.hir.core.relabel.RelabelFixtures.EXACT;
import static dev.hir.core.relabel.RelabelFixtures.EXACT_WITH_PREFIXES;
import static dev.hir.core.relabel.RelabelFixtures.bind;
import static dev.hir.core.relabel.RelabelFixtures.ctx;
import static dev.hir.core.relabel.RelabelFixtures.episode;
import static dev.hir.core.relabel.RelabelFixtures.withCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Episode;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.testkit.RelabelingContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The paper variant (the default) of sub-output relabeling. */
class HindsightSubgoalFactoryTest extends RelabelingContract {
    private static final String CORRECT = "Solve the question with correct answer.";
    private static final String WRONG = "Solve the question with wrong answer.";

    @Override
    protected RelabelingFactory<?> factory() {
        return new HindsightSubgoalFactory();
    }

    @Override
    protected RelabelingStrategy createStrategy() {
        return strategy("");
    }

    static RelabelingStrategy strategy(String yaml) {
        return new HindsightSubgoalFactory().create(bind(yaml, HindsightSubgoalConfig.class), TestingPluginContext.create());
    }

    /** The prefixes of many relabels of one episode, drawn from one seeded stream. */
    private static Set<String> prefixes(RelabelingStrategy s, Episode e, FeedbackFunction f, int draws) {
        RelabelingContext c = ctx(f, new Random(7));
        var seen = new TreeSet<String>();
        for (int i = 0; i < draws; i++) {
            for (TrainingExample t : s.relabel(e, c)) {
                assertEquals(e.output(), t.outputPrefix() + t.target(), "prefix and target must make the output");
                assertTrue(t.endOfSequence(), "the future part runs to the end of the output");
                seen.add(t.outputPrefix());
            }
        }
        return seen;
    }

    @Test
    void correctOutputIsCutAnywhereAndKeepsItsLabel() {
        var s = strategy("");
        var e = episode("abcd", "abcd");
        assertEquals(Set.of("", "a", "ab", "abc"), prefixes(s, e, EXACT_WITH_PREFIXES, 200));
        for (int seed = 0; seed < 20; seed++) {
            for (TrainingExample t : s.relabel(e, ctx(EXACT, seed))) {
                assertEquals(CORRECT, t.instruction());
                assertEquals(List.of(WRONG), t.contrastInstructions());
            }
        }
    }

    @Test
    void wrongOutputIsCutOnlyBeforeItsDivergenceWhenBeginningsCanBeJudged() {
        // Gold "5": "" and "5" can still become correct, "5x" cannot, so the future part must contain the "x".
        var e = episode("5", "5x9");
        assertEquals(Set.of("", "5"), prefixes(strategy(""), e, EXACT_WITH_PREFIXES, 200));
        for (TrainingExample t : strategy("").relabel(e, ctx(EXACT_WITH_PREFIXES, 3))) {
            assertEquals(WRONG, t.instruction());
            assertEquals(List.of(CORRECT), t.contrastInstructions());
        }
    }

    @Test
    void wrongOutputIsCutAnywhereWithoutAPrefixCheckOrWhenConfigured() {
        var e = episode("5", "5x9");
        assertEquals(Set.of("", "5", "5x"), prefixes(strategy(""), e, EXACT, 200));
        assertEquals(Set.of("", "5", "5x"), prefixes(strategy("cut_range: anywhere"), e, EXACT_WITH_PREFIXES, 200));
    }

    @Test
    void unfinishedBeginningOfTheGoldIsCutAnywhere() {
        // "ab" is wrong for "abc" but every beginning of it can still become correct.
        assertEquals(Set.of("", "a"), prefixes(strategy(""), episode("abc", "ab"), EXACT_WITH_PREFIXES, 200));
    }

    @Test
    void emptyOutputIsLearnedAsAnImmediateEnd() {
        var t = strategy("").relabel(episode("5", ""), ctx(EXACT, 1));
        assertEquals(List.of(new TrainingExample(WRONG, List.of(CORRECT), t.get(0).example(), "", "", true, 1.0)), t);
    }

    @Test
    void repeatedCountsGetIndependentCuts() {
        var relabels = strategy("count_as: repeat").relabel(withCount(episode("abcdef", "abcdef"), 40), ctx(EXACT, 5));
        assertEquals(40, relabels.size());
        assertTrue(relabels.stream().map(TrainingExample::outputPrefix).distinct().count() >= 4, relabels::toString);
        assertTrue(relabels.stream().allMatch(t -> t.weight() == 1.0));
        var weighted = strategy("").relabel(withCount(episode("abcdef", "abcdef"), 40), ctx(EXACT, 5));
        assertEquals(1, weighted.size());
        assertEquals(40.0, weighted.get(0).weight());
    }

    @Test
    void piecesThatDoNotMakeTheOutputAreAPolicyBug() {
        RelabelingContext lossy = new RelabelingContext() {
            private final RelabelingContext inner = ctx(EXACT, 1);

            @Override
            public String samplingInstruction() {
                return inner.samplingInstruction();
            }

            @Override
            public FeedbackFunction feedback() {
                return inner.feedback();
            }

            @Override
            public Random random() {
                return inner.random();
            }

            @Override
            public List<String> tokenPieces(String output) {
                return List.of(output.strip());
            }
        };
        assertThrows(IllegalStateException.class, () -> strategy("").relabel(episode("5", " 5"), lossy));
    }

    @Test
    void invalidValuesAreRejectedNamingTheField() {
        var cut = assertThrows(InvalidInputException.class, () -> bind("cut_range: middle", HindsightSubgoalConfig.class));
        assertEquals("relabeling[0].cut_range", cut.source());
        var same = assertThrows(InvalidInputException.class,
                () -> bind("wrong_instruction: Solve the question with correct answer.", HindsightSubgoalConfig.class));
        assertEquals("relabeling[0].wrong_instruction", same.source());
    }

    @Test
    void resolvedConfigBindsBackToItself() {
        for (String yaml : List.of("", "variant: reference", "cut_range: anywhere\ncount_as: repeat")) {
            var config = bind(yaml, HindsightSubgoalConfig.class);
            assertEquals(config, RelabelFixtures.roundTrip(config, HindsightSubgoalConfig.class));
        }
        assertEquals(HindsightSubgoalConfig.reference(), bind("variant: reference", HindsightSubgoalConfig.class));
    }
}
