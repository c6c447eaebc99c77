package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** What the {@link ObjectiveLoss} implementations share. */
final class LossSupport {

    private LossSupport() {}

    /**
     * A scalar constant of the given type, kept in {@code manager} (so alive until the backward pass).
     *
     * <p>Differentiable code must use these instead of DJL's arithmetic with a {@code Number} operand
     * ({@code x.mul(2.0)}, {@code x.div(n)}, {@code x.clip(a, b)}): DJL wraps the number in a temporary array
     * backed by a Java direct buffer and frees it right after the forward op, but autograd keeps a reference
     * to it for the backward pass of mul, div, pow and clamp. Once the garbage collector reclaims the buffer
     * the gradient reads freed memory, which made gradients NaN at random.
     */
    static NDArray constant(NDManager manager, double value, DataType type) {
        return manager.create(value).toType(type, false);
    }

    /** Checks the range arguments of {@link ObjectiveLoss#compute}. */
    static void checkRange(List<EncodedSequence> batch, int from, int to) {
        if (from < 0 || to > batch.size() || from >= to) {
            throw new IllegalArgumentException(
                    "sequences [" + from + ", " + to + ") is not a non-empty part of a batch of " + batch.size());
        }
    }

    /** {@code [to - from]} sequence weights of the given type. */
    static NDArray weights(NDManager manager, List<EncodedSequence> batch, int from, int to, DataType type) {
        double[] w = new double[to - from];
        for (int i = from; i < to; i++) {
            w[i - from] = batch.get(i).weight();
        }
        return manager.create(w).toType(type, false);
    }

    /** Total target tokens of sequences {@code [from, to)}. */
    static long tokens(List<EncodedSequence> batch, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n += batch.get(i).targetIds().length;
        }
        return n;
    }

    /** The rows of sequences {@code [from, to)} under their own prompts. */
    static List<TokenBatch.Row> ownRows(List<EncodedSequence> batch, int from, int to) {
        return batch.subList(from, to).stream()
                .map(s -> new TokenBatch.Row(s.promptIds(), s.targetIds()))
                .toList();
    }
}
