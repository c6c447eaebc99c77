package dev.hir.bigbench.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hir.api.Example;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FamilyFidelityTest {

    /** Solver golds reproduced and inputs parsed by the templates, per family, on the real BBH files. */
    private static final Map<String, int[]> EXPECTED = Map.of(
            "date_understanding", new int[] {250, 243, 250},
            "geometric_shapes", new int[] {250, 250, 250},
            "penguins_in_a_table", new int[] {146, 146, 146},
            "reasoning_about_colored_objects", new int[] {250, 250, 250});

    @Test
    void fidelityTableOnRealData() {
        System.out.println("| family | real examples | solver reproduces gold | template parse |");
        System.out.println("|---|---|---|---|");
        for (String family : FamilyFidelity.families()) {
            List<Example> real = RealBbh.load(family).stream()
                    .map(i -> Example.of(family + "/" + i.index(), i.input(), i.target())).toList();
            FamilyFidelity.Result r = FamilyFidelity.measure(family, real);
            System.out.printf("| %s | %d | %d (%.3f) | %d (%.3f) |%n", family, r.examples(), r.solved(),
                    r.solverAccuracy(), r.templateParsed(), r.templateShare());
            int[] expected = EXPECTED.get(family);
            assertEquals(expected[0], r.examples(), family);
            assertEquals(expected[1], r.solved(), family);
            assertEquals(expected[2], r.templateParsed(), family);
        }
    }

    @Test
    void solveGivesTheLetterTarget() {
        RealBbh.Item first = RealBbh.load("geometric_shapes").get(0);
        assertEquals(java.util.Optional.of(first.target()), FamilyFidelity.solve("geometric_shapes", first.input()));
        assertEquals(java.util.Optional.empty(), FamilyFidelity.solve("geometric_shapes", "not a question"));
    }

    @Test
    void unknownFamilyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> FamilyFidelity.solve("word_sorting", "x"));
    }
}
