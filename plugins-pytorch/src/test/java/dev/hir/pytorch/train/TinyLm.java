package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * A tiny differentiable causal LM for tests: the logits at position t are
 * {@code tanh(mean_{s<=t} E[x_s]) · W + b}, so every prediction depends on the whole prefix (the prompt
 * included), which the contrastive terms need.
 */
final class TinyLm implements CausalLm {

    final NDArray embedding;
    final NDArray output;
    final NDArray bias;
    private final int vocab;

    TinyLm(NDManager manager, int vocab, int dim, long seed, DataType type, boolean trainable) {
        this(manager, vocab, dim, randomWeights(vocab, dim, seed), type, trainable);
    }

    /** A model with the given weights: {@code E [V*d]}, {@code W [d*V]}, {@code b [V]} concatenated. */
    TinyLm(NDManager manager, int vocab, int dim, double[] weights, DataType type, boolean trainable) {
        this.vocab = vocab;
        int e = vocab * dim;
        int w = dim * vocab;
        embedding = param(manager, slice(weights, 0, e), new Shape(vocab, dim), type, trainable, "embedding");
        output = param(manager, slice(weights, e, e + w), new Shape(dim, vocab), type, trainable, "output");
        bias = param(manager, slice(weights, e + w, e + w + vocab), new Shape(vocab), type, trainable, "bias");
    }

    static double[] randomWeights(int vocab, int dim, long seed) {
        Random random = new Random(seed);
        double[] weights = new double[2 * vocab * dim + vocab];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextGaussian();
        }
        return weights;
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static NDArray param(NDManager manager, double[] values, Shape shape, DataType type, boolean trainable,
            String name) {
        NDArray p = manager.create(values, shape).toType(type, false);
        p.setName(name);
        if (trainable) {
            p.setRequiresGradient(true);
        }
        return p;
    }

    /** All weights, flattened in constructor order. */
    double[] weights() {
        double[] e = embedding.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] w = output.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] b = bias.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] all = new double[e.length + w.length + b.length];
        System.arraycopy(e, 0, all, 0, e.length);
        System.arraycopy(w, 0, all, e.length, w.length);
        System.arraycopy(b, 0, all, e.length + w.length, b.length);
        return all;
    }

    @Override
    public NDArray logits(NDArray inputIds, NDArray attentionMask) {
        long t = inputIds.getShape().get(1);
        NDArray embedded = inputIds.getNDArrayInternal()
                .embedding(inputIds, embedding, ai.djl.ndarray.types.SparseFormat.DENSE).head();
        NDArray prefixSum = embedded.cumSum(1);
        NDArray counts = inputIds.getManager().arange(1f, t + 1f).toType(embedding.getDataType(), false)
                .reshape(1, t, 1);
        return prefixSum.div(counts).tanh().matMul(output).add(bias);
    }

    @Override
    public NDList parameters() {
        return new NDList(embedding, output, bias);
    }

    @Override
    public int vocabSize() {
        return vocab;
    }
}
