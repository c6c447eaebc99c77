package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FidelityTableTest {

    @Test
    void tableHasARowPerFamilyAndNoLeakAfterExclusion() {
        String table = FidelityTable.table(FamilyGeneratorTest.bbhDir(), 30);
        var rows = Arrays.stream(table.split("\n")).skip(2).toList();
        assertEquals(12, rows.size(), table);
        for (String row : rows) {
            assertTrue(row.split(" \\| ")[4].equals("0/30"), row);
        }
        assertTrue(table.contains("| word_sorting | 250/250 (100.0%) | 250/250 (100.0%) lines |"), table);
    }
}
