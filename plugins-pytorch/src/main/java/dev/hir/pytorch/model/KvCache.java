package dev.hir.pytorch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * The keys and values of every layer for the tokens seen so far, {@code [B, H, T, headSize]} each.
 *
 * <p>Its arrays outlive the {@link NDScope} of the step that made them: when a step replaces a layer's
 * arrays, the old ones are closed at once, or cached decoding leaks native memory by the gigabyte
 * (FEASIBILITY P4).
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;
    private long length;

    /** An empty cache for a model with {@code layers} blocks. */
    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** How many positions the cache holds. */
    public long length() {
        return length;
    }

    NDArray key(int layer) {
        return keys[layer];
    }

    NDArray value(int layer) {
        return values[layer];
    }

    void replace(int layer, NDArray key, NDArray value) {
        NDScope.unregister(key, value);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = key;
        values[layer] = value;
        if (layer == 0) {
            length = key.getShape().get(2);
        }
    }

    /**
     * Keeps only the given batch rows (in that order), closing the arrays they replace. Call inside an
     * {@link NDScope}: the pieces it splits off are temporary.
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
