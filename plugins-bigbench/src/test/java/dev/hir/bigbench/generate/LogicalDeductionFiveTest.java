package dev.hir.bigbench.generate;

class LogicalDeductionFiveTest extends LogicalDeductionTest {
    @Override
    String family() {
        return "logical_deduction_five_objects";
    }
}
