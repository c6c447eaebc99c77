package dev.hir.api;

import java.util.Objects;

/**
 * Which loss a {@link TrainablePolicy} minimizes, and its weights. Declarative: no tensors here; each
 * trainable policy implements every objective of this closed set.
 */
@API(status = API.Status.STABLE, since = "0.1")
public sealed interface Objective {

    /** A short name for logs and metrics. */
    String name();

    /**
     * Negative log-likelihood of the targets (supervised fine-tuning on gold answers, or FARL on correct
     * samples), weighted by each sequence's weight.
     */
    record Nll() implements Objective {
        @Override
        public String name() {
            return "nll";
        }
    }

    /**
     * The HIR loss: label-smoothed NLL + α · contrastive instruction loss − β · entropy.
     *
     * @param labelSmoothing ε in [0, 1)
     * @param smoothing over which tokens ε is spread
     * @param contrastiveWeight α &gt;= 0
     * @param entropyWeight β &gt;= 0 (the entropy is maximized with this weight)
     * @param contrastive which contrastive term
     */
    record Hir(
            double labelSmoothing,
            Smoothing smoothing,
            double contrastiveWeight,
            double entropyWeight,
            Contrastive contrastive) implements Objective {
        public Hir {
            if (!(labelSmoothing >= 0.0 && labelSmoothing < 1.0)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
            }
            Objects.requireNonNull(smoothing, "smoothing");
            if (!(contrastiveWeight >= 0.0) || Double.isInfinite(contrastiveWeight)) {
                throw new IllegalArgumentException("contrastiveWeight must be >= 0, got " + contrastiveWeight);
            }
            if (!(entropyWeight >= 0.0) || Double.isInfinite(entropyWeight)) {
                throw new IllegalArgumentException("entropyWeight must be >= 0, got " + entropyWeight);
            }
            Objects.requireNonNull(contrastive, "contrastive");
        }

        /** The paper's defaults: ε 0.2 over the vocabulary, α 1, β 0.001, batch contrast. */
        public static Hir paper() {
            return new Hir(0.2, Smoothing.VOCABULARY, 1.0, 0.001, Contrastive.BATCH);
        }

        @Override
        public String name() {
            return "hir";
        }
    }

    /**
     * Group-relative policy gradient (GRPO-style): sequence weights are advantages normalized within each
     * {@link TrainingSequence#group()}, with a clipped importance ratio against
     * {@link TrainingSequence#behaviorLogProb()} and an optional KL penalty to the starting weights.
     *
     * @param clipRange ε of the clipped ratio, &gt; 0
     * @param klWeight weight of the KL penalty to the frozen reference, &gt;= 0 (0 disables it)
     */
    record GroupRelative(double clipRange, double klWeight) implements Objective {
        public GroupRelative {
            if (!(clipRange > 0.0) || Double.isInfinite(clipRange)) {
                throw new IllegalArgumentException("clipRange must be > 0, got " + clipRange);
            }
            if (!(klWeight >= 0.0) || Double.isInfinite(klWeight)) {
                throw new IllegalArgumentException("klWeight must be >= 0, got " + klWeight);
            }
        }

        @Override
        public String name() {
            return "group-relative";
        }
    }

    /** Over which tokens label smoothing spreads its mass. */
    enum Smoothing {
        /** Uniformly over the whole vocabulary, as the paper does. */
        VOCABULARY,
        /** Only over the tokens of the query's valid answers ({@link TrainingSequence#answerSet()}). */
        ANSWER_TOKENS
    }

    /** Which contrastive instruction loss. */
    enum Contrastive {
        /**
         * The paper's: softmax over the batch's (instruction, query) pairs of each output's sequence
         * log-probability, the output's own pair being the positive.
         */
        BATCH,
        /**
         * The reference code's: a 2-way softmax between the relabeled instruction and its opposite
         * ({@link TrainingSequence#contrastPrompts()}) on the geometric-mean token probability, with soft
         * targets 1−ε and ε.
         */
        PAIRWISE
    }
}
