package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hir.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class OptimizerConfigTest {

    @Test
    void defaultsAreTheReferenceCodesOptimizer() {
        OptimizerConfig c = OptimizerConfig.defaults();
        assertEquals(5e-4, c.learningRate());
        assertEquals(0.9, c.beta1());
        assertEquals(0.999, c.beta2());
        assertEquals(1e-8, c.epsilon());
        assertEquals(0.0, c.weightDecay());
        assertEquals(0.0, c.gradientClip());
        assertEquals("constant", c.schedule());
        assertEquals(0, c.warmupSteps());
        assertEquals(64, c.microBatchSize());
        assertEquals(5e-4, c.learningRateAt(1));
        assertEquals(5e-4, c.learningRateAt(1_000_000));
    }

    @Test
    void invalidValuesNameTheirField() {
        assertField("learningRate", () -> new OptimizerConfig(0.0, null, null, null, null, null, null, null, null, null));
        assertField("beta1", () -> new OptimizerConfig(null, 1.0, null, null, null, null, null, null, null, null));
        assertField("beta2", () -> new OptimizerConfig(null, null, -0.1, null, null, null, null, null, null, null));
        assertField("epsilon", () -> new OptimizerConfig(null, null, null, 0.0, null, null, null, null, null, null));
        assertField("weightDecay", () -> new OptimizerConfig(null, null, null, null, -1.0, null, null, null, null, null));
        assertField("gradientClip", () -> new OptimizerConfig(null, null, null, null, null, Double.NaN, null, null, null, null));
        assertField("schedule", () -> new OptimizerConfig(null, null, null, null, null, null, "step", null, null, null));
        assertField("warmupSteps", () -> new OptimizerConfig(null, null, null, null, null, null, null, -1, null, null));
        assertField("totalSteps", () -> new OptimizerConfig(null, null, null, null, null, null, "cosine", 10, 10L, null));
        assertField("microBatchSize", () -> new OptimizerConfig(null, null, null, null, null, null, null, null, null, 0));
    }

    private static void assertField(String field, Runnable create) {
        InvalidInputException e = assertThrows(InvalidInputException.class, create::run);
        assertEquals(field, e.source(), e.oneLine());
    }

    @Test
    void scheduleNamesAreCaseInsensitive() {
        OptimizerConfig c = new OptimizerConfig(1.0, null, null, null, null, null, "Linear", 0, 4L, null);
        assertEquals("linear", c.schedule());
        assertEquals(LearningRateSchedule.LINEAR, c.learningRateSchedule());
    }

    @Test
    void warmupThenDecaySchedules() {
        // Warm-up 2 of 6 steps: 1/2, 1, then linear 1, 3/4, 1/2, 1/4, then 0.
        double[] linear = {0.5, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0};
        double[] cosine = {0.5, 1.0, 1.0, 0.5 * (1 + Math.cos(Math.PI / 4)), 0.5, 0.5 * (1 + Math.cos(3 * Math.PI / 4)), 0.0};
        for (int step = 1; step <= 7; step++) {
            assertEquals(linear[step - 1], LearningRateSchedule.LINEAR.factor(step, 2, 6), 1e-15, "linear " + step);
            assertEquals(cosine[step - 1], LearningRateSchedule.COSINE.factor(step, 2, 6), 1e-15, "cosine " + step);
            assertEquals(step == 1 ? 0.5 : 1.0, LearningRateSchedule.CONSTANT.factor(step, 2, 0), 1e-15);
        }
    }
}
