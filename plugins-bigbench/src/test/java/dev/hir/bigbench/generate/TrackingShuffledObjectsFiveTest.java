package dev.hir.bigbench.generate;

class TrackingShuffledObjectsFiveTest extends TrackingShuffledObjectsTest {
    @Override
    String family() {
        return "tracking_shuffled_objects_five_objects";
    }
}
