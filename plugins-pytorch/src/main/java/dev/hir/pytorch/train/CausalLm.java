package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

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
     * @return float32 logits {@code [B, T, V]}: row {@code t} predicts token {@code t + 1}
     */
    NDArray logits(NDArray inputIds, NDArray attentionMask);

    /** The parameters the optimizer updates, in a fixed order. */
    NDList parameters();

    /** The vocabulary size {@code V}. */
    int vocabSize();
}
