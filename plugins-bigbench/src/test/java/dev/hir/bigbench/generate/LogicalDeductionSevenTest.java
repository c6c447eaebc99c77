package dev.hir.bigbench.generate;

class LogicalDeductionSevenTest extends LogicalDeductionTest {
    @Override
    String family() {
        return "logical_deduction_seven_objects";
    }
}
