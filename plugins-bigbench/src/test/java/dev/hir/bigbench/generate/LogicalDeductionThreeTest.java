package dev.hir.bigbench.generate;

class LogicalDeductionThreeTest extends LogicalDeductionTest {
    @Override
    String family() {
        return "logical_deduction_three_objects";
    }
}
