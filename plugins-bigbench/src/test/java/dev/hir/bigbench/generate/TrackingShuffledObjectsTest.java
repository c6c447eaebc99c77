package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.InvalidInputException;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tracking shuffled objects, for each number of people. */
abstract class TrackingShuffledObjectsTest extends FamilyGeneratorTest {
    private static final Pattern ASKED = Pattern.compile("At the end of the \\w+, (\\w+) ");

    @Test
    void lastLatentStateHoldsTheAnswerAtEveryLevel() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(2);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < 30; i++) {
                Example e = g.generate(level, r);
                Matcher m = ASKED.matcher(e.input());
                assertTrue(m.find(), e.input());
                String held = e.states().get(e.states().size() - 1).values().get(m.group(1));
                assertEquals(e.options().get(e.target().charAt(1) - 'A'), held);
                assertEquals(level + 1, e.states().size(), "one state per swap plus the opening");
            }
        }
    }

    @Test
    void levelZeroHasNoSwapAndAnswersWithTheStartingObject() {
        Example e = createGenerator().generate(0, new Random(4));
        assertFalse(e.input().contains("First,") || e.input().contains("Then,") || e.input().contains("Finally,"));
        Matcher m = ASKED.matcher(e.input());
        assertTrue(m.find());
        assertEquals(TrackingShuffledObjectsGenerator.NAMES.indexOf(m.group(1)), e.target().charAt(1) - 'A');
    }

    @Test
    void scenarioSubsetRestrictsTheStories() {
        var f = new BigBenchGeneratorFactory();
        var g = f.create(new BigBenchGeneratorFactory.Config(family(), List.of("books"), null, bbhDir().toString(), false),
                TestingPluginContext.create());
        Random r = new Random(8);
        for (int i = 0; i < 20; i++) {
            assertTrue(g.generate(g.defaultLevel(), r).input().contains("swap books."));
        }
    }

    @Test
    void unknownScenarioIsRejectedNamingTheField() {
        var f = new BigBenchGeneratorFactory();
        var c = new BigBenchGeneratorFactory.Config(family(), List.of("chess"), null, null, null);
        var e = assertThrows(InvalidInputException.class, () -> f.create(c, TestingPluginContext.create()));
        assertEquals("scenarios", e.source());
    }
}
