package dev.hir.pytorch;

import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.model.Activation;
import dev.hir.pytorch.train.OptimizerConfig;
import java.util.Optional;

/**
 * Configuration of the {@code pytorch} policy: either a checkpoint folder, or sizes for a fresh random
 * model with a given tokenizer.
 *
 * @param checkpoint a checkpoint folder in the Hugging Face layout (config.json, model.safetensors,
 *     tokenizer.json, and the optimizer state when it was saved by this policy)
 * @param tokenizer a {@code tokenizer.json} for a fresh model; only with {@code init}
 * @param init sizes of a fresh model; only without {@code checkpoint}
 * @param contextOverflow {@code truncate-left} (default: keep a long prompt's last tokens, with a warning)
 *     or {@code error}
 * @param seed seeds the fresh model's weights; default: the run's seed
 * @param maxBatchSize the most sequences decoded or scored together, default 64
 * @param optimizer the training hyper-parameters; default {@link OptimizerConfig#defaults()}
 * @param klReference keep a frozen copy of the starting weights for the group-relative objective's KL
 *     penalty; default false
 * @param stateHead an auxiliary head that learns the latent states of training sequences under plain NLL
 *     (pretraining with state supervision, PILOT.md part 2); default none
 */
public record PytorchPolicyConfig(
        String checkpoint,
        String tokenizer,
        Init init,
        String contextOverflow,
        Long seed,
        Integer maxBatchSize,
        OptimizerConfig optimizer,
        Boolean klReference,
        StateHeadConfig stateHead) {

    public PytorchPolicyConfig {
        if (checkpoint != null && init != null) {
            throw new InvalidInputException("init", "give either checkpoint or init, not both");
        }
        if (checkpoint == null && init == null) {
            throw new InvalidInputException("checkpoint", "give a checkpoint folder, or init sizes and a tokenizer");
        }
        if (checkpoint != null && tokenizer != null) {
            throw new InvalidInputException("tokenizer", "a checkpoint brings its own tokenizer.json; leave tokenizer out");
        }
        if (init != null && tokenizer == null) {
            throw new InvalidInputException("tokenizer", "a fresh model (init) needs a tokenizer.json");
        }
        contextOverflow = contextOverflow == null ? ContextOverflow.TRUNCATE_LEFT.configName() : contextOverflow;
        ContextOverflow.fromConfigName("contextOverflow", contextOverflow);
        maxBatchSize = maxBatchSize == null ? 64 : maxBatchSize;
        if (maxBatchSize < 1) {
            throw new InvalidInputException("maxBatchSize", "must be >= 1, got " + maxBatchSize);
        }
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        klReference = klReference != null && klReference;
    }

    /** A configuration without a state head (the form before state supervision). */
    public PytorchPolicyConfig(String checkpoint, String tokenizer, Init init, String contextOverflow, Long seed,
            Integer maxBatchSize, OptimizerConfig optimizer, Boolean klReference) {
        this(checkpoint, tokenizer, init, contextOverflow, seed, maxBatchSize, optimizer, klReference, null);
    }

    /** The state head, when configured. */
    public Optional<StateHeadConfig> stateHeadIfGiven() {
        return Optional.ofNullable(stateHead);
    }

    /** A fresh random model of the given sizes. */
    public static PytorchPolicyConfig fresh(String tokenizer, Init init, long seed) {
        return new PytorchPolicyConfig(null, tokenizer, init, null, seed, null, null, null);
    }

    /** A checkpoint folder, everything else default. */
    public static PytorchPolicyConfig ofCheckpoint(String checkpoint) {
        return new PytorchPolicyConfig(checkpoint, null, null, null, null, null, null, null);
    }

    /** The parsed overflow policy. */
    public ContextOverflow overflow() {
        return ContextOverflow.fromConfigName("contextOverflow", contextOverflow);
    }

    /** The seed, when given. */
    public Optional<Long> seedIfGiven() {
        return Optional.ofNullable(seed);
    }

    /** A copy with another optimizer configuration. */
    public PytorchPolicyConfig withOptimizer(OptimizerConfig other) {
        return new PytorchPolicyConfig(checkpoint, tokenizer, init, contextOverflow, seed, maxBatchSize, other, klReference,
                stateHead);
    }

    /** A copy with another overflow policy ({@code truncate-left} or {@code error}). */
    public PytorchPolicyConfig withContextOverflow(String other) {
        return new PytorchPolicyConfig(checkpoint, tokenizer, init, other, seed, maxBatchSize, optimizer, klReference,
                stateHead);
    }

    /**
     * Sizes of a fresh GPT-2 (the vocabulary comes from the tokenizer). Defaults: FEASIBILITY.md's
     * config (a), 2 layers of width 128 with 4 heads and a context of 128.
     *
     * @param nLayer blocks
     * @param nEmbd width
     * @param nHead heads, dividing nEmbd
     * @param nPositions context length
     * @param positionInit starting values of the position embeddings: {@code random} (GPT-2's, the default) or
     *     {@code sinusoidal} (the original Transformer's table at the same scale; see
     *     {@link dev.hir.pytorch.model.Gpt2Model#random(dev.hir.pytorch.model.Gpt2Config, long,
     *     ai.djl.ndarray.NDManager, boolean)})
     * @param activationFunction the MLP's activation as Hugging Face names it: {@code gelu_new} (GPT-2's, the
     *     default) or {@code gelu}, the exact GELU, which takes one operation where {@code gelu_new} takes seven (see
     *     {@link Activation}); written to the model's {@code config.json}
     */
    public record Init(Integer nLayer, Integer nEmbd, Integer nHead, Integer nPositions, String positionInit,
            String activationFunction) {
        public Init {
            nLayer = nLayer == null ? 2 : nLayer;
            nEmbd = nEmbd == null ? 128 : nEmbd;
            nHead = nHead == null ? 4 : nHead;
            nPositions = nPositions == null ? 128 : nPositions;
            positionInit = positionInit == null ? "random" : positionInit;
            activationFunction = activationFunction == null ? Activation.GELU_NEW.configName() : activationFunction;
            Activation.fromConfigName(activationFunction, "init.activationFunction");
            if (!positionInit.equals("random") && !positionInit.equals("sinusoidal")) {
                throw new InvalidInputException("init.positionInit", "must be random or sinusoidal, got '" + positionInit + "'");
            }
            positive("init.nLayer", nLayer);
            positive("init.nEmbd", nEmbd);
            positive("init.nHead", nHead);
            positive("init.nPositions", nPositions);
            if (nEmbd % nHead != 0) {
                throw new InvalidInputException("init.nHead", "must divide nEmbd " + nEmbd + ", got " + nHead);
            }
        }

        /** Sizes with GPT-2's random position embeddings and activation. */
        public Init(Integer nLayer, Integer nEmbd, Integer nHead, Integer nPositions) {
            this(nLayer, nEmbd, nHead, nPositions, null, null);
        }

        /** The MLP activation. */
        public Activation activation() {
            return Activation.fromConfigName(activationFunction, "init.activationFunction");
        }

        /** Whether the position embeddings start from the sinusoidal table. */
        public boolean sinusoidalPositions() {
            return positionInit.equals("sinusoidal");
        }

        private static void positive(String field, int value) {
            if (value < 1) {
                throw new InvalidInputException(field, "must be >= 1, got " + value);
            }
        }
    }

    /**
     * The auxiliary latent-state head ({@link dev.hir.pytorch.train.StateHead}).
     *
     * @param slots state components per position, default 8 (a seven-person tracking puzzle needs 7)
     * @param values classes per component, default 24 (option indices, counts and ranks up to 23)
     * @param weight weight of the mean state cross-entropy added to the NLL, default 1.0 (PILOT.md's)
     */
    public record StateHeadConfig(Integer slots, Integer values, Double weight) {
        public StateHeadConfig {
            slots = slots == null ? 8 : slots;
            values = values == null ? 24 : values;
            weight = weight == null ? 1.0 : weight;
            if (slots < 1) {
                throw new InvalidInputException("stateHead.slots", "must be >= 1, got " + slots);
            }
            if (values < 2) {
                throw new InvalidInputException("stateHead.values", "must be >= 2, got " + values);
            }
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new InvalidInputException("stateHead.weight", "must be > 0, got " + weight);
            }
        }
    }
}
