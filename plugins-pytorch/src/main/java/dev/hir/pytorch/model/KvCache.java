package dev.hir.pytorch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Optional;

/**
 * The keys and values of every layer for the tokens seen so far, {@code [B, H, T, headSize]} each.
 *
 * <p>Two kinds. A {@linkplain #KvCache(int) growing} cache concatenates each step's keys and values onto
 * the old ones, which copies the whole cache of every layer at every step. A {@linkplain #preallocated
 * preallocated} one allocates {@code capacity} positions per layer at its first step and writes each
 * step's keys and values in place at their positions; attention then reads views of the filled prefix,
 * the same numbers a growing cache would hold, without a copy that grows with the context.
 *
 * <p>A cache of one row keeps a layer's keys and values together in one array {@code [1, 2 H, T, headSize]}:
 * one write and one view per step instead of two (per-op cost dominates batch-1 decoding). With more rows
 * they stay apart, since views of such a combined array are not contiguous per row and attention would copy
 * them.
 *
 * <p>Its arrays outlive the {@link NDScope} of the step that made them: when an array is replaced, the old
 * one is closed at once, or cached decoding leaks native memory by the gigabyte (FEASIBILITY P4).
 */
public final class KvCache implements AutoCloseable {
    private static final long[] UNIT_STEPS = {1, 1, 1};

    /** Per layer, the keys, or for one row the keys and values together (keys in the first H heads). */
    private final NDArray[] keys;
    /** Per layer, the values; null where {@link #keys} holds both. */
    private final NDArray[] values;
    private final long capacity;
    private final Optional<NDManager> manager;
    private long length;

    /** An empty cache that grows by concatenation, for a model with {@code layers} blocks. */
    public KvCache(int layers) {
        this(layers, 0, Optional.empty());
    }

    private KvCache(int layers, long capacity, Optional<NDManager> manager) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
        this.capacity = capacity;
        this.manager = manager;
    }

    /**
     * An empty cache of {@code capacity} positions written in place, for a model with {@code layers} blocks.
     * Its arrays are allocated on {@code manager} at the first step (whose batch size they take) and live
     * until {@link #close}.
     */
    public static KvCache preallocated(int layers, long capacity, NDManager manager) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        return new KvCache(layers, capacity, Optional.of(manager));
    }

    /** How many positions the cache holds. */
    public long length() {
        return length;
    }

    /** How many positions a preallocated cache can hold; empty for a growing one. */
    public Optional<Long> capacity() {
        return manager.isPresent() ? Optional.of(capacity) : Optional.empty();
    }

    /**
     * Adds one layer's keys and values, given together as {@code [B, 2 H, t, headSize]} (keys in the first H
     * heads), at positions {@code [length, length + t)}, and returns the keys and values of positions
     * {@code [0, length + t)} to attend over, {@code [B, H, length + t, headSize]} each. The length itself
     * moves on with {@link #advance} once every layer has its new positions.
     */
    NDList extend(int layer, NDArray keyValue, long batch, long heads, long t) {
        boolean empty = keys[layer] == null;
        boolean together = empty ? batch == 1 : values[layer] == null;
        NDList parts = together ? null : JniUtils.split((PtNDArray) keyValue, new long[] {heads, heads}, 1);
        if (manager.isEmpty()) {
            if (together) {
                replace(layer, empty ? keyValue : keys[layer].concat(keyValue, 2), null);
            } else {
                replace(layer, empty ? parts.get(0) : keys[layer].concat(parts.get(0), 2),
                        empty ? parts.get(1) : values[layer].concat(parts.get(1), 2));
            }
            return together ? split(keys[layer], heads) : new NDList(keys[layer], values[layer]);
        }
        long end = length + t;
        if (end > capacity) {
            throw new IllegalStateException("the KV cache holds " + capacity + " positions; " + end + " needed");
        }
        if (empty) {
            long hs = keyValue.getShape().get(3);
            NDManager m = manager.get();
            NDArray k = m.zeros(new Shape(batch, together ? 2 * heads : heads, capacity, hs), DataType.FLOAT32);
            NDArray v = together ? null : m.zeros(new Shape(batch, heads, capacity, hs), DataType.FLOAT32);
            replace(layer, k, v);
        }
        // One native call per array (a slice assignment; NDArray.set with an NDIndex costs several), and a
        // view of the filled prefix that belongs to the step's scope while the buffer stays the cache's.
        if (together) {
            return split(write((PtNDArray) keys[layer], keyValue, end), heads);
        }
        return new NDList(write((PtNDArray) keys[layer], parts.get(0), end),
                write((PtNDArray) values[layer], parts.get(1), end));
    }

    private NDArray write(PtNDArray cache, NDArray step, long end) {
        // The cache's shape is known on the Java side; the step's would cost a native call.
        Shape shape = cache.getShape();
        JniUtils.indexSet(cache, (PtNDArray) step, new long[] {0, 0, length}, new long[] {shape.get(0), shape.get(1), end},
                UNIT_STEPS);
        return JniUtils.slice(cache, 2, 0, end, 1);
    }

    private static NDList split(NDArray together, long heads) {
        return JniUtils.split((PtNDArray) together, new long[] {heads, heads}, 1);
    }

    /**
     * Copies of layer {@code layer}'s filled keys and values, {@code [B, H, length, headSize]} each, row-major:
     * how a {@link StepDecoder} takes over a prefilled cache.
     */
    float[][] copyLayer(int layer, long heads) {
        NDArray k = keys[layer];
        NDArray v = values[layer];
        if (manager.isPresent()) {
            k = JniUtils.slice((PtNDArray) k, 2, 0, length, 1);
            v = v == null ? null : JniUtils.slice((PtNDArray) v, 2, 0, length, 1);
        }
        if (v == null) {
            NDList parts = split(k, heads);
            k = parts.get(0);
            v = parts.get(1);
        }
        return new float[][] {k.toFloatArray(), v.toFloatArray()};
    }

    /** Counts {@code t} more positions, after every layer was {@linkplain #extend extended} by them. */
    void advance(long t) {
        length += t;
    }

    private void replace(int layer, NDArray key, NDArray value) {
        if (key != null) {
            NDScope.unregister(key);
        }
        if (value != null) {
            NDScope.unregister(value);
        }
        if (keys[layer] != null) {
            keys[layer].close();
        }
        if (values[layer] != null) {
            values[layer].close();
        }
        keys[layer] = key;
        values[layer] = value;
    }

    /**
     * Keeps the given batch rows, in that order, closing the arrays they replace. A row may be listed
     * several times: the prompt of several samples fills the cache once and is then copied to each. Call
     * inside an {@link NDScope}: the pieces it splits off are temporary.
     */
    public void keepRows(int[] rows) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            NDArray k = keys[i];
            NDArray v = values[i];
            if (v == null) {
                NDList parts = split(k, k.getShape().get(1) / 2);
                k = parts.get(0);
                v = parts.get(1);
            }
            replace(i, selectRows(k, rows), selectRows(v, rows));
        }
    }

    /** The given rows of {@code array} in a new contiguous array. */
    private static NDArray selectRows(NDArray array, int[] rows) {
        int batch = (int) array.getShape().get(0);
        NDList slices = array.split(batch, 0);
        NDList kept = new NDList(rows.length);
        for (int r : rows) {
            kept.add(slices.get(r));
        }
        return NDArrays.concat(kept, 0);
    }

    /** Closes every cached array. Idempotent. */
    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            replace(i, null, null);
        }
        length = 0;
    }
}
