package dev.hir.bigbench.generate;

class TrackingShuffledObjectsThreeTest extends TrackingShuffledObjectsTest {
    @Override
    String family() {
        return "tracking_shuffled_objects_three_objects";
    }
}
