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
 * preallocated} one allocates {@code [B, H, capacity, headSize]} per layer at its first step and writes each
 * step's keys and values in place at their positions; attention then reads a view of the filled prefix,
 * the same numbers a growing cache would hold, without the copy (which was most of a batch-32 step).
 *
 * <p>Its arrays outlive the {@link NDScope} of the step that made them: when an array is replaced, the old
 * one is closed at once, or cached decoding leaks native memory by the gigabyte (FEASIBILITY P4).
 */
public final class KvCache implements AutoCloseable {
    private static final long[] UNIT_STEPS = {1, 1, 1};

    private final NDArray[] keys;
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
     * Adds one layer's keys and values {@code [B, H, t, headSize]} at positions {@code [length, length + t)}
     * and returns the keys and values of positions {@code [0, length + t)} to attend over. The length itself
     * moves on with {@link #advance} once every layer has its new positions.
     */
    NDList extend(int layer, NDArray key, NDArray value, long t) {
        if (manager.isEmpty()) {
            if (keys[layer] == null) {
                replace(layer, key, value);
            } else {
                replace(layer, keys[layer].concat(key, 2), values[layer].concat(value, 2));
            }
            return new NDList(keys[layer], values[layer]);
        }
        long end = length + t;
        if (end > capacity) {
            throw new IllegalStateException("the KV cache holds " + capacity + " positions; " + end + " needed");
        }
        if (keys[layer] == null) {
            Shape shape = key.getShape();
            Shape full = new Shape(shape.get(0), shape.get(1), capacity, shape.get(3));
            NDArray k = manager.get().zeros(full, DataType.FLOAT32);
            NDArray v = manager.get().zeros(full, DataType.FLOAT32);
            NDScope.unregister(k, v);
            keys[layer] = k;
            values[layer] = v;
        }
        PtNDArray k = (PtNDArray) keys[layer];
        PtNDArray v = (PtNDArray) values[layer];
        // One native call each (a slice assignment); NDArray.set with an NDIndex costs several. The
        // cache's shape is known on the Java side, the new keys' would cost a native call.
        Shape shape = k.getShape();
        long[] from = {0, 0, length};
        long[] to = {shape.get(0), shape.get(1), end};
        JniUtils.indexSet(k, (PtNDArray) key, from, to, UNIT_STEPS);
        JniUtils.indexSet(v, (PtNDArray) value, from, to, UNIT_STEPS);
        // Views of the filled prefix: they belong to the step's scope, the buffers to the cache.
        return new NDList(JniUtils.slice(k, 2, 0, end, 1), JniUtils.slice(v, 2, 0, end, 1));
    }

    /** Counts {@code t} more positions, after every layer was {@linkplain #extend extended} by them. */
    void advance(long t) {
        length += t;
    }

    private void replace(int layer, NDArray key, NDArray value) {
        NDScope.unregister(key, value);
        if (keys[layer] != null) {
            keys[layer].close();
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
            int batch = (int) keys[i].getShape().get(0);
            NDList keySlices = keys[i].split(batch, 0);
            NDList valueSlices = values[i].split(batch, 0);
            NDList keptKeys = new NDList(rows.length);
            NDList keptValues = new NDList(rows.length);
            for (int r : rows) {
                keptKeys.add(keySlices.get(r));
                keptValues.add(valueSlices.get(r));
            }
            replace(i, NDArrays.concat(keptKeys, 0), NDArrays.concat(keptValues, 0));
        }
    }

    /** Closes every cached array. Idempotent. */
    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
        }
        length = 0;
    }
}
