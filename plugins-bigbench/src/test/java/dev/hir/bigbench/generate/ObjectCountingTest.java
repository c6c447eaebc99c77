package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObjectCountingTest extends FamilyGeneratorTest {
    @Override
    String family() {
        return "object_counting";
    }

    @Test
    void lastRunningCountIsTheAnswer() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(6);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < 30; i++) {
                Example e = g.generate(level, r);
                assertEquals(e.target(), e.states().get(e.states().size() - 1).values().get("running count"));
            }
        }
    }

    @Test
    void levelZeroListsOneThingOfTheAskedCategory() {
        Example e = createGenerator().generate(0, new Random(3));
        assertEquals(1, e.states().size());
        assertEquals(e.target(), e.states().get(0).values().get("quantity"));
    }

    @Test
    void questionsAboutObjectsHaveNoDistractors() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(4);
        int seen = 0;
        for (int i = 0; i < 400; i++) {
            Example e = g.generate(g.defaultLevel(), r);
            if (e.input().endsWith("How many objects do I have?")) {
                seen++;
                assertTrue(e.states().stream().allMatch(s -> s.values().get("counted").equals("yes")), e.input());
            }
        }
        assertTrue(seen > 40);
    }
}
