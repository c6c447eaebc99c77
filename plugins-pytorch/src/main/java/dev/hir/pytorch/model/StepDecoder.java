package dev.hir.pytorch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.pytorch.tensor.HostMemory;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Cached one-token decoding steps of a {@link Gpt2Model} for a few rows, with the matrix products in libtorch
 * and everything else in Java: the embeddings, the layer norms, attention over a KV cache held in Java arrays,
 * the tanh GELU and the residual stream.
 *
 * <p>Why: a decoding step of a small model is a chain of some 25 tiny libtorch operations per block, and on
 * this CPU each costs 5-20 µs when the chain cycles through different kernels (measured in a real step,
 * against 1-2 µs for one op repeated in a loop), while its arithmetic takes well under a microsecond. Here a
 * block costs its four linear operations; the rest is a few thousand float operations in Java. The Java side
 * grows with rows × context, so {@link #suits} keeps larger batches on the all-libtorch path
 * ({@link Gpt2Model#forward} with a {@link KvCache}).
 *
 * <p>The results are those of {@link Gpt2Model#forward} up to float rounding (summation order, and Java's
 * exponential against libtorch's vectorized one), not bit for bit: over 112 steps of random models of 0.5M and
 * 3.7M parameters, logits differed from full recomputation by at most 7.2e-7 and 1.4e-6, as much as the
 * libtorch steps did. Java's arithmetic is deterministic, so the same inputs give the same bits on
 * every run.
 *
 * <p>Use: prefill the prompts with {@link Gpt2Model#forward} into a {@link KvCache}, hand it to {@link #start},
 * then call {@link #step} once per token. The decoder owns two small native buffers (closed by {@link
 * #close}); the hidden states a step returns are one of them, valid until the next step. Call every method
 * with gradients off. Not thread-safe.
 */
public final class StepDecoder implements AutoCloseable {
    /**
     * The largest rows × capacity × n_embd decoded in Java with one libtorch thread: the Java side's work grows
     * with it (attention reads every cached key and value of every row), while what it saves, some 20 libtorch
     * calls per block, does not.
     */
    private static final long MAX_WORK_ONE_THREAD = 1 << 18;
    /** The same with more libtorch threads, whose linear layers then run in parallel while the Java side cannot. */
    private static final long MAX_WORK_MORE_THREADS = 1 << 17;

    private final Gpt2Model model;
    private final Gpt2Config config;
    private final int heads;
    private final int headSize;
    private final int width;
    private final int inner;
    private final int capacity;
    private final float scale;
    private final float epsilon;
    private final boolean tanhGelu;
    private final NDManager manager;
    private final FloatBuffer tokenEmbedding;
    private final FloatBuffer positionEmbedding;
    /** Per block: ln_1 gain, ln_1 bias, ln_2 gain, ln_2 bias. */
    private final float[][] norms;
    private final float[] finalGain;
    private final float[] finalBias;

    private int rows;
    private int length;
    /** Per row, the first position it attends to (its left padding). */
    private int[] start;
    /** Per block, the keys transposed, {@code [rows, heads, headSize, capacity]}: scores are a vector loop. */
    private float[][] keys;
    /** Per block, the values, {@code [rows, heads, capacity, headSize]}. */
    private float[][] values;
    private float[] residual;
    private float[] narrowRow;
    private float[] wideRow;
    private final float[] scores;
    private final float[] attended;
    /** The latest linear output copied out of libtorch, {@code [rows, out]}. */
    private float[] outputs = new float[0];
    /** Native {@code [rows, 1, n_embd]}: the input of c_attn, attn.c_proj and c_fc, and the step's result. */
    private NDArray narrow;
    private FloatBuffer narrowView;
    /** Native {@code [rows, 1, n_inner]}: the input of mlp.c_proj. */
    private NDArray wide;
    private FloatBuffer wideView;

    private StepDecoder(Gpt2Model model, int rows, int capacity, NDManager parent) {
        this.model = model;
        this.config = model.config();
        this.heads = config.nHead();
        this.headSize = config.headSize();
        this.width = config.nEmbd();
        this.inner = config.nInner();
        this.capacity = capacity;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        this.epsilon = (float) config.layerNormEpsilon();
        this.tanhGelu = config.activation() == Activation.GELU_NEW;
        this.manager = parent.newSubManager();
        // Read only: a view of the parameters' memory, or a copy where DJL makes one; either holds the weights
        // of this generate call.
        this.tokenEmbedding = HostMemory.readView(model.tokenEmbedding());
        this.positionEmbedding = HostMemory.readView(model.positionEmbedding());
        int layers = config.nLayer();
        this.norms = new float[layers * 4][];
        for (int i = 0; i < layers; i++) {
            Gpt2Model.Layer l = model.layer(i);
            norms[4 * i] = l.ln1Weight().toFloatArray();
            norms[4 * i + 1] = l.ln1Bias().toFloatArray();
            norms[4 * i + 2] = l.ln2Weight().toFloatArray();
            norms[4 * i + 3] = l.ln2Bias().toFloatArray();
        }
        this.finalGain = model.finalNormWeight().toFloatArray();
        this.finalBias = model.finalNormBias().toFloatArray();
        this.scores = new float[capacity];
        this.attended = new float[headSize];
        this.keys = new float[layers][];
        this.values = new float[layers][];
        resize(rows);
    }

    /**
     * Whether {@code rows} rows of a model of this config, decoding up to {@code capacity} positions, run faster
     * here than as libtorch operations with libtorch's current number of intra-op threads.
     */
    public static boolean suits(Gpt2Config config, int rows, long capacity) {
        return suits(config, rows, capacity, JniUtils.getNumThreads());
    }

    /**
     * As {@link #suits(Gpt2Config, int, long)} for {@code threads} intra-op threads. Measured (docs/performance.md)
     * on the bench's config a (n_embd 128) and b (256) at capacity 128: with one thread the Java steps are faster
     * up to 16 and 8 rows (by 5-12% there) and slower at 32 and 16; with two, b at 8 rows was 15-20% slower, and
     * a at 8 and b at 4 rows were faster or even.
     */
    static boolean suits(Gpt2Config config, int rows, long capacity, int threads) {
        long work = (long) rows * capacity * config.nEmbd();
        return work <= (threads <= 1 ? MAX_WORK_ONE_THREAD : MAX_WORK_MORE_THREADS);
    }

    /**
     * A decoder that continues from a prefilled cache.
     *
     * @param cache holds the prompts' keys and values, one cache row per distinct prompt
     * @param source for each decoded row, the cache row it starts from (several rows may share one)
     * @param leftPadding for each decoded row, the positions before its first real token, never attended to
     * @param capacity the most positions a row will hold, the prompt's included
     */
    public static StepDecoder start(Gpt2Model model, KvCache cache, int[] source, int[] leftPadding, int capacity,
            NDManager parent) {
        if (source.length != leftPadding.length) {
            throw new IllegalArgumentException("source and leftPadding differ in length");
        }
        if (cache.length() > capacity) {
            throw new IllegalArgumentException("the cache holds " + cache.length() + " positions; capacity is " + capacity);
        }
        StepDecoder decoder = new StepDecoder(model, source.length, capacity, parent);
        try {
            decoder.load(cache, source, leftPadding);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
        return decoder;
    }

    private void load(KvCache cache, int[] source, int[] leftPadding) {
        int filled = Math.toIntExact(cache.length());
        for (int i = 0; i < keys.length; i++) {
            float[][] kv;
            try (NDScope scope = new NDScope()) {
                kv = cache.copyLayer(i, heads);
            }
            float[] k = kv[0];
            float[] v = kv[1];
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < heads; h++) {
                    int from = ((source[r] * heads + h) * filled) * headSize;
                    for (int t = 0; t < filled; t++) {
                        for (int j = 0; j < headSize; j++) {
                            keys[i][keyIndex(r, h, j) + t] = k[from + t * headSize + j];
                        }
                    }
                    System.arraycopy(v, from, values[i], valueIndex(r, h), filled * headSize);
                }
            }
        }
        start = leftPadding.clone();
        length = filled;
    }

    private int keyIndex(int row, int head, int dim) {
        return ((row * heads + head) * headSize + dim) * capacity;
    }

    private int valueIndex(int row, int head) {
        return (row * heads + head) * capacity * headSize;
    }

    /** How many positions every row holds. */
    public int length() {
        return length;
    }

    /** How many rows are decoded. */
    public int rows() {
        return rows;
    }

    /**
     * One step: feeds each row its token at its position and returns the final hidden states (after ln_f),
     * {@code [rows, 1, n_embd]}. The array belongs to the decoder and is overwritten by the next step.
     */
    public NDArray step(int[] tokens, int[] positions) {
        if (tokens.length != rows || positions.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " tokens and positions, got " + tokens.length
                    + " and " + positions.length);
        }
        if (length >= capacity) {
            throw new IllegalStateException("the decoder holds " + capacity + " positions; " + (length + 1) + " needed");
        }
        for (int r = 0; r < rows; r++) {
            int token = tokens[r];
            int position = positions[r];
            if (token < 0 || token >= config.vocabSize() || position < 0 || position >= config.nPositions()) {
                throw new IllegalArgumentException("row " + r + ": token " + token + " at position " + position
                        + " outside the model's vocabulary or context");
            }
            tokenEmbedding.get(token * width, residual, r * width, width);
            positionEmbedding.get(position * width, narrowRow, 0, width);
            for (int j = 0; j < width; j++) {
                residual[r * width + j] += narrowRow[j];
            }
        }
        for (int i = 0; i < keys.length; i++) {
            NDArray[] weights = model.linearWeights(i);
            Gpt2Model.Layer l = model.layer(i);
            try (NDScope scope = new NDScope()) {
                normalize(norms[4 * i], norms[4 * i + 1]);
                float[] qkv = read(Linear.linear(narrow, weights[0], l.attnBias()).head(), 3 * width);
                attend(i, qkv);
                addToResidual(read(Linear.linear(narrow, weights[1], l.attnProjBias()).head(), width));
                normalize(norms[4 * i + 2], norms[4 * i + 3]);
                NDArray fc = Linear.linear(narrow, weights[2], l.fcBias()).head();
                NDArray activated;
                if (tanhGelu) {
                    geluNew(read(fc, inner));
                    activated = wide;
                } else {
                    activated = fc.getNDArrayInternal().gelu();
                }
                addToResidual(read(Linear.linear(activated, weights[3], l.mlpProjBias()).head(), width));
            }
        }
        length++;
        normalize(finalGain, finalBias);
        return narrow;
    }

    /** The layer norm of each row of the residual stream, written to {@link #narrow}. */
    private void normalize(float[] gain, float[] bias) {
        float[] out = narrowRow;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += residual[base + j];
            }
            double mean = sum / width;
            double squares = 0;
            for (int j = 0; j < width; j++) {
                double centered = residual[base + j] - mean;
                squares += centered * centered;
            }
            float inverse = (float) (1.0 / Math.sqrt(squares / width + epsilon));
            float center = (float) mean;
            for (int j = 0; j < width; j++) {
                out[j] = (residual[base + j] - center) * inverse * gain[j] + bias[j];
            }
            narrowView.put(base, out, 0, width);
        }
    }

    /** Stores each row's new key and value and writes its attention over positions [start, length] to narrow. */
    private void attend(int layer, float[] qkv) {
        float[] k = keys[layer];
        float[] v = values[layer];
        int t = length;
        int keysHeld = t + 1;
        for (int r = 0; r < rows; r++) {
            int base = r * 3 * width;
            int first = start[r];
            for (int h = 0; h < heads; h++) {
                int q = base + h * headSize;
                int newKey = base + width + h * headSize;
                int newValue = base + 2 * width + h * headSize;
                int kBase = keyIndex(r, h, 0);
                for (int j = 0; j < headSize; j++) {
                    k[kBase + j * capacity + t] = qkv[newKey + j];
                }
                int vBase = valueIndex(r, h);
                System.arraycopy(qkv, newValue, v, vBase + t * headSize, headSize);

                float[] s = scores;
                scores(qkv, q, k, kBase, first, keysHeld, s);
                float max = Float.NEGATIVE_INFINITY;
                for (int p = first; p < keysHeld; p++) {
                    s[p] *= scale;
                    max = Math.max(max, s[p]);
                }
                float total = 0f;
                for (int p = first; p < keysHeld; p++) {
                    float e = (float) Math.exp(s[p] - max);
                    s[p] = e;
                    total += e;
                }
                for (int p = first; p < keysHeld; p++) {
                    s[p] /= total;
                }
                weightedValues(s, v, vBase, first, keysHeld, attended);
                System.arraycopy(attended, 0, narrowRow, h * headSize, headSize);
            }
            narrowView.put(r * width, narrowRow, 0, width);
        }
    }

    /**
     * {@code s[p] = q · k_p} for the keys {@code [first, end)} of one row and head, the keys transposed from
     * {@code kBase} ({@code [headSize, capacity]}). Four head dimensions per pass over the scores: the inner loop
     * is a vector loop, and each pass loads and stores the scores once for four products.
     */
    private void scores(float[] qkv, int q, float[] k, int kBase, int first, int end, float[] s) {
        Arrays.fill(s, first, end, 0f);
        int j = 0;
        for (; j + 3 < headSize; j += 4) {
            float q0 = qkv[q + j];
            float q1 = qkv[q + j + 1];
            float q2 = qkv[q + j + 2];
            float q3 = qkv[q + j + 3];
            int k0 = kBase + j * capacity;
            int k1 = k0 + capacity;
            int k2 = k1 + capacity;
            int k3 = k2 + capacity;
            for (int p = first; p < end; p++) {
                s[p] += q0 * k[k0 + p] + q1 * k[k1 + p] + q2 * k[k2 + p] + q3 * k[k3 + p];
            }
        }
        for (; j < headSize; j++) {
            float qj = qkv[q + j];
            int row = kBase + j * capacity;
            for (int p = first; p < end; p++) {
                s[p] += qj * k[row + p];
            }
        }
    }

    /**
     * {@code out = Σ_p w[p] v_p} over the positions {@code [first, end)} of one row and head, the values from
     * {@code vBase} ({@code [capacity, headSize]}). Four positions per pass over {@code out}, for the same reason
     * as {@link #scores}.
     */
    private void weightedValues(float[] w, float[] v, int vBase, int first, int end, float[] out) {
        Arrays.fill(out, 0f);
        int p = first;
        for (; p + 3 < end; p += 4) {
            float w0 = w[p];
            float w1 = w[p + 1];
            float w2 = w[p + 2];
            float w3 = w[p + 3];
            int v0 = vBase + p * headSize;
            int v1 = v0 + headSize;
            int v2 = v1 + headSize;
            int v3 = v2 + headSize;
            for (int j = 0; j < headSize; j++) {
                out[j] += w0 * v[v0 + j] + w1 * v[v1 + j] + w2 * v[v2 + j] + w3 * v[v3 + j];
            }
        }
        for (; p < end; p++) {
            float wp = w[p];
            int at = vBase + p * headSize;
            for (int j = 0; j < headSize; j++) {
                out[j] += wp * v[at + j];
            }
        }
    }

    /**
     * GPT-2's tanh GELU of {@code x} ({@code [rows, n_inner]}), computed as x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)),
     * written to {@link #wide}.
     */
    private void geluNew(float[] x) {
        double c = 2.0 * Math.sqrt(2.0 / Math.PI);
        for (int r = 0; r < rows; r++) {
            int base = r * inner;
            for (int j = 0; j < inner; j++) {
                double xj = x[base + j];
                wideRow[j] = (float) (xj / (1.0 + Math.exp(-c * (xj + 0.044715 * xj * xj * xj))));
            }
            wideView.put(base, wideRow, 0, inner);
        }
    }

    private void addToResidual(float[] update) {
        for (int i = 0; i < rows * width; i++) {
            residual[i] += update[i];
        }
    }

    private float[] read(NDArray array, int perRow) {
        float[] out = rowScratch(perRow);
        HostMemory.readView(array).get(0, out, 0, rows * perRow);
        return out;
    }

    private float[] rowScratch(int perRow) {
        int n = rows * perRow;
        if (outputs.length < n) {
            outputs = new float[n];
        }
        return outputs;
    }

    /**
     * Keeps the given rows, in ascending order (those still decoding), dropping the others: the remaining steps
     * cost what the kept rows need.
     */
    public void keepRows(int[] kept) {
        for (int k = 1; k < kept.length; k++) {
            if (kept[k] <= kept[k - 1]) {
                throw new IllegalArgumentException("rows to keep must ascend: " + Arrays.toString(kept));
            }
        }
        int perRowKeys = heads * headSize * capacity;
        float[][] oldKeys = keys.clone();
        float[][] oldValues = values.clone();
        int[] newStart = new int[kept.length];
        resize(kept.length);
        for (int k = 0; k < kept.length; k++) {
            int r = kept[k];
            for (int i = 0; i < keys.length; i++) {
                System.arraycopy(oldKeys[i], r * perRowKeys, keys[i], k * perRowKeys, perRowKeys);
                System.arraycopy(oldValues[i], r * perRowKeys, values[i], k * perRowKeys, perRowKeys);
            }
            newStart[k] = start[r];
        }
        start = newStart;
    }

    /** Allocates the per-row arrays and native buffers for {@code n} rows. */
    private void resize(int n) {
        rows = n;
        int perRow = heads * headSize * capacity;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new float[n * perRow];
            values[i] = new float[n * perRow];
        }
        residual = new float[n * width];
        narrowRow = new float[width];
        wideRow = new float[inner];
        closeBuffers();
        narrow = buffer(new Shape(n, 1, width));
        narrowView = writableView(narrow);
        wide = buffer(new Shape(n, 1, inner));
        wideView = writableView(wide);
    }

    private NDArray buffer(Shape shape) {
        NDArray array = manager.zeros(shape, DataType.FLOAT32);
        NDScope.unregister(array);
        return array;
    }

    /**
     * A view of a fresh, contiguous host array's memory, through which the step writes the linears' inputs: a
     * copy would lose them silently, so one that is not a view is an error.
     */
    private static FloatBuffer writableView(NDArray array) {
        return HostMemory.writableView(array)
                .orElseThrow(() -> new IllegalStateException("DJL gave a copy, not a view, of a contiguous host array"));
    }

    private void closeBuffers() {
        if (narrow != null) {
            narrow.close();
        }
        if (wide != null) {
            wide.close();
        }
    }

    /** Frees the native buffers. Idempotent. */
    @Override
    public void close() {
        closeBuffers();
        narrow = null;
        wide = null;
        manager.close();
    }
}
