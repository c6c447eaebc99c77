package dev.hir.bigbench.generate;

class TrackingShuffledObjectsSevenTest extends TrackingShuffledObjectsTest {
    @Override
    String family() {
        return "tracking_shuffled_objects_seven_objects";
    }
}
