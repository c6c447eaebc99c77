package dev.hir.pytorch.train;

import java.nio.FloatBuffer;

/**
 * The elementwise part of {@link AdamW}'s update for float32 tensors in host memory, run in Java on views of
 * the tensors' own memory: two passes over the arrays instead of the dozen native ops, each a full pass with
 * its own temporary, that the same arithmetic takes as DJL operations (libtorch binds no fused AdamW that DJL
 * exposes).
 *
 * <p>Every element sees the operations of the op-by-op update, in the same order, each rounded to float32
 * (Java neither fuses a multiply and an add nor computes float expressions in a wider type), so the result is
 * the same to the last bit. The exception is the square root: libtorch's vectorized float square root is not
 * correctly rounded (measured: 1 unit in the last place off for 0.6% of random inputs on an AVX-512 CPU), so it
 * stays a libtorch op between the two passes. Each scalar operand is the float32 value libtorch converts the
 * optimizer's double scalars to. The buffers are {@link dev.hir.pytorch.tensor.HostMemory} views. Not
 * thread-safe: the passes share one set of chunk buffers.
 */
final class AdamWKernel {

    /** Elements per chunk: four float arrays of this size stay in the first-level caches. */
    private static final int CHUNK = 4096;

    private final float[] gradientChunk = new float[CHUNK];
    private final float[] firstChunk = new float[CHUNK];
    private final float[] secondChunk = new float[CHUNK];
    private final float[] parameterChunk = new float[CHUNK];

    /**
     * First pass: {@code g *= scale} (the clip; 1 leaves it exact), {@code m = m β1 + g (1 − β1)},
     * {@code v = v β2 + g² (1 − β2)}, in the moments' memory.
     */
    void moments(FloatBuffer gradient, FloatBuffer first, FloatBuffer second, long size,
            float scale, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2) {
        float[] g = gradientChunk;
        float[] m = firstChunk;
        float[] v = secondChunk;
        for (int offset = 0; offset < size; offset += CHUNK) {
            int n = (int) Math.min(CHUNK, size - offset);
            gradient.get(offset, g, 0, n);
            first.get(offset, m, 0, n);
            second.get(offset, v, 0, n);
            for (int k = 0; k < n; k++) {
                float gk = g[k] * scale;
                m[k] = m[k] * beta1 + gk * oneMinusBeta1;
                v[k] = v[k] * beta2 + gk * gk * oneMinusBeta2;
            }
            first.put(offset, m, 0, n);
            second.put(offset, v, 0, n);
        }
    }

    /**
     * Second pass, given {@code sqrt(v)}: {@code p = p decay − m / (sqrt(v) / bc2 + ε) · stepSize} (a decay of
     * 1 leaves it exact), in the parameter's memory.
     */
    void apply(FloatBuffer parameter, FloatBuffer first, FloatBuffer secondRoot, long size,
            float biasCorrection2Root, float epsilon, float stepSize, float decay) {
        float[] p = parameterChunk;
        float[] m = firstChunk;
        float[] root = secondChunk;
        for (int offset = 0; offset < size; offset += CHUNK) {
            int n = (int) Math.min(CHUNK, size - offset);
            parameter.get(offset, p, 0, n);
            first.get(offset, m, 0, n);
            secondRoot.get(offset, root, 0, n);
            for (int k = 0; k < n; k++) {
                float denominator = root[k] / biasCorrection2Root + epsilon;
                p[k] = p[k] * decay - m[k] / denominator * stepSize;
            }
            parameter.put(offset, p, 0, n);
        }
    }
}
