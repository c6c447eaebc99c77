package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Logical deduction, for each number of objects. */
abstract class LogicalDeductionTest extends FamilyGeneratorTest {

    @Override
    int sampleSize() {
        return 1000;
    }

    @Test
    void defaultLevelStatementsFixEveryObjectAndNoneIsRedundant() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(9);
        for (int i = 0; i < 30; i++) {
            Example e = g.generate(g.defaultLevel(), r);
            Map<String, String> last = e.states().get(e.states().size() - 1).values();
            last.values().forEach(v -> assertTrue(v.matches("\\d"), "position not fixed: " + last));
            // Each statement narrows the possibilities: the state before the last is not yet fixed.
            Map<String, String> before = e.states().get(e.states().size() - 2).values();
            assertFalse(before.values().stream().allMatch(v -> v.matches("\\d")), e.input());
        }
    }

    @Test
    void levelZeroIsOneStatementNamingTheAnswer() {
        ExampleGenerator g = createGenerator();
        Example e = g.generate(0, new Random(1));
        String paragraph = e.input().substring(0, e.input().indexOf("\nOptions:"));
        String answer = e.options().get(e.target().charAt(1) - 'A');
        assertTrue(paragraph.endsWith(answer + "."), e.input());
        assertEquals(2, e.states().size());
    }
}
