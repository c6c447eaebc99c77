package dev.hir.pytorch.train;

import dev.hir.api.InvalidInputException;

/**
 * The optimizer's hyper-parameters: AdamW, gradient clipping, the learning-rate schedule and the
 * micro-batch size of gradient accumulation. Absent ({@code null}) values take the defaults of the
 * paper's reference code (PAPER.md §2): learning rate 5e-4, betas 0.9/0.999, ε 1e-8, no weight decay, no
 * clipping, a constant schedule without warm-up; micro-batches of 64 rows (the paper's batch of 64 in one
 * pass under NLL).
 *
 * @param learningRate the peak learning rate, &gt; 0
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param epsilon added to the root of the second moment, &gt; 0
 * @param weightDecay decoupled weight decay, &gt;= 0; applied to parameters of rank &gt;= 2 only (weight
 *     matrices and embeddings, not biases and LayerNorm gains, as the reference code groups them)
 * @param gradientClip the largest global gradient norm; larger gradients are scaled down to it; 0
 *     disables clipping
 * @param schedule {@code constant}, {@code linear} or {@code cosine} (see {@link LearningRateSchedule})
 * @param warmupSteps steps of linear warm-up, &gt;= 0
 * @param totalSteps the step the linear and cosine schedules reach 0 at; must exceed {@code warmupSteps}
 *     for them, ignored by {@code constant}
 * @param microBatchSize the most (prompt, target) rows per forward/backward pass; a larger batch is split
 *     and its gradients accumulated, which gives the same update as the whole batch at once. A sequence is
 *     one row, plus the extra rows of HIR's contrastive terms (see {@link ObjectiveLoss#rows}); a
 *     micro-batch holds at least one sequence, and those sharing its rows
 */
public record OptimizerConfig(
        Double learningRate,
        Double beta1,
        Double beta2,
        Double epsilon,
        Double weightDecay,
        Double gradientClip,
        String schedule,
        Integer warmupSteps,
        Long totalSteps,
        Integer microBatchSize) {

    public OptimizerConfig {
        learningRate = orDefault(learningRate, 5e-4);
        beta1 = orDefault(beta1, 0.9);
        beta2 = orDefault(beta2, 0.999);
        epsilon = orDefault(epsilon, 1e-8);
        weightDecay = orDefault(weightDecay, 0.0);
        gradientClip = orDefault(gradientClip, 0.0);
        schedule = schedule == null ? LearningRateSchedule.CONSTANT.configName() : schedule;
        warmupSteps = warmupSteps == null ? 0 : warmupSteps;
        totalSteps = totalSteps == null ? 0L : totalSteps;
        microBatchSize = microBatchSize == null ? 64 : microBatchSize;

        if (!(learningRate > 0.0) || learningRate.isInfinite()) {
            throw new InvalidInputException("learningRate", "must be a positive number, got " + learningRate);
        }
        requireUnitInterval("beta1", beta1);
        requireUnitInterval("beta2", beta2);
        if (!(epsilon > 0.0) || epsilon.isInfinite()) {
            throw new InvalidInputException("epsilon", "must be a positive number, got " + epsilon);
        }
        if (!(weightDecay >= 0.0) || weightDecay.isInfinite()) {
            throw new InvalidInputException("weightDecay", "must be >= 0, got " + weightDecay);
        }
        if (!(gradientClip >= 0.0) || gradientClip.isInfinite()) {
            throw new InvalidInputException("gradientClip", "must be >= 0 (0 disables clipping), got " + gradientClip);
        }
        LearningRateSchedule kind;
        try {
            kind = LearningRateSchedule.fromConfigName(schedule);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("schedule", e.getMessage());
        }
        schedule = kind.configName();
        if (warmupSteps < 0) {
            throw new InvalidInputException("warmupSteps", "must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < 0) {
            throw new InvalidInputException("totalSteps", "must be >= 0, got " + totalSteps);
        }
        if (kind != LearningRateSchedule.CONSTANT && totalSteps <= warmupSteps) {
            throw new InvalidInputException(
                    "totalSteps",
                    "the " + kind.configName() + " schedule needs totalSteps > warmupSteps (" + warmupSteps
                            + "), got " + totalSteps);
        }
        if (microBatchSize < 1) {
            throw new InvalidInputException("microBatchSize", "must be >= 1, got " + microBatchSize);
        }
    }

    /** All defaults: the reference code's optimizer. */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** The schedule as an enum. */
    public LearningRateSchedule learningRateSchedule() {
        return LearningRateSchedule.fromConfigName(schedule);
    }

    /** The learning rate of a step (counted from 1) under the schedule. */
    public double learningRateAt(long step) {
        return learningRate * learningRateSchedule().factor(step, warmupSteps, totalSteps);
    }

    /** A copy with another learning rate. */
    public OptimizerConfig withLearningRate(double rate) {
        return new OptimizerConfig(rate, beta1, beta2, epsilon, weightDecay, gradientClip, schedule, warmupSteps,
                totalSteps, microBatchSize);
    }

    /** A copy with another micro-batch size. */
    public OptimizerConfig withMicroBatchSize(int size) {
        return new OptimizerConfig(learningRate, beta1, beta2, epsilon, weightDecay, gradientClip, schedule,
                warmupSteps, totalSteps, size);
    }

    private static Double orDefault(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static void requireUnitInterval(String field, double value) {
        if (!(value >= 0.0 && value < 1.0)) {
            throw new InvalidInputException(field, "must be in [0, 1), got " + value);
        }
    }
}
