package dev.hir.pytorch.train;

import java.util.Locale;

/**
 * How the learning rate changes over optimizer steps: a linear warm-up from {@code 1/warmupSteps} of the
 * peak to the peak, then constant, a linear decay or a cosine decay towards 0 at {@code totalSteps}.
 *
 * <p>Steps are counted from 1. Unlike Hugging Face's schedulers, the first warm-up step already trains
 * (its rate is {@code peak/warmupSteps}, not 0), and the last of {@code totalSteps} steps still has a
 * small positive rate; after {@code totalSteps} the decaying schedules stay at 0.
 */
public enum LearningRateSchedule {
    /** The peak rate after warm-up; the reference code's and the paper's choice. */
    CONSTANT,
    /** Linear decay from the peak at the end of warm-up to 0 at {@code totalSteps}. */
    LINEAR,
    /** Half a cosine from the peak at the end of warm-up to 0 at {@code totalSteps}. */
    COSINE;

    /**
     * The factor of the peak learning rate for a step.
     *
     * @param step the step about to be taken, from 1
     * @param warmupSteps steps of linear warm-up, &gt;= 0
     * @param totalSteps the step count the decay ends at (ignored by {@link #CONSTANT})
     * @return a factor in [0, 1]
     */
    public double factor(long step, long warmupSteps, long totalSteps) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1, got " + step);
        }
        if (step <= warmupSteps) {
            return (double) step / warmupSteps;
        }
        if (this == CONSTANT) {
            return 1.0;
        }
        double progress = Math.min(1.0, (double) (step - 1 - warmupSteps) / (totalSteps - warmupSteps));
        return switch (this) {
            case LINEAR -> 1.0 - progress;
            case COSINE -> 0.5 * (1.0 + Math.cos(Math.PI * progress));
            case CONSTANT -> 1.0;
        };
    }

    /** The lower-case name used in configurations, e.g. {@code "cosine"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The schedule named in a configuration, case-insensitively.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static LearningRateSchedule fromConfigName(String name) {
        for (LearningRateSchedule s : values()) {
            if (s.configName().equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + name + "', expected constant, linear or cosine");
    }
}
