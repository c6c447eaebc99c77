package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * A causal language model as the training objectives see it: token ids in, next-token logits out.
 * The GPT of this plugin implements it; the objectives are written against it alone, so they can be
 * tested with any small differentiable model.
 */
public interface CausalLm {

    /**
     * Runs the model on a right-padded batch.
     *
     * @param inputIds int64 {@code [B, T]} token ids
     * @param attentionMask float32 {@code [B, T]}, 1 for real tokens and 0 for padding (padding is at the
     *     end of each row, so causal attention never lets a real token see padding)
     * @return float32 logits {@code [B, T, V]}: row {@code t} predicts token {@code t + 1} (the test
     *     models of the objectives use float64 the same way)
     */
    NDArray logits(NDArray inputIds, NDArray attentionMask);

    /**
     * The logits of positions {@code firstPosition} and later only, {@code [B, T - firstPosition, V]}.
     * The objectives call this with the first position that predicts a target token, since prompts are
     * long and targets short. The default slices the full logits; a model can override it to apply its
     * output layer to those positions alone.
     */
    default NDArray logits(NDArray inputIds, NDArray attentionMask, int firstPosition) {
        NDArray all = logits(inputIds, attentionMask);
        return firstPosition == 0 ? all : all.get(new NDIndex(":, {}:", firstPosition));
    }

    /**
     * The final hidden states {@code [B, T, H]} of a right-padded batch, from which {@link #outputLogits}
     * gives the logits; what a {@link StateHead} reads. Models that do not expose them throw.
     */
    default NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose its hidden states");
    }

    /** The logits {@code [B, T', V]} of hidden states {@code [B, T', H]} from {@link #hiddenStates}. */
    default NDArray outputLogits(NDArray hidden) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose its hidden states");
    }

    /** The width {@code H} of {@link #hiddenStates}, or 0 when the model does not expose them. */
    default int hiddenSize() {
        return 0;
    }

    /** The parameters the optimizer updates, in a fixed order. */
    NDList parameters();

    /** The vocabulary size {@code V}. */
    int vocabSize();
}
