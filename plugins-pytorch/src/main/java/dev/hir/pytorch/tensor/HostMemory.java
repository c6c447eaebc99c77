package dev.hir.pytorch.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * Java views of float32 tensors' host memory, for the work the plugin does in Java instead of as a chain of
 * small libtorch operations (the AdamW update, decoding steps of small batches).
 */
public final class HostMemory {
    private HostMemory() {}

    /**
     * A view of a tensor's own memory when it is a dense, contiguous float32 tensor in host memory: writes
     * through it change the tensor. Empty otherwise.
     *
     * <p>DJL hands out such a view for exactly these tensors and a copy for any other; that the buffer is a
     * view is checked by writing one changed bit through it and reading it back through libtorch (then
     * restoring it), so writes to a tensor DJL would copy cannot be lost silently.
     */
    public static Optional<FloatBuffer> writableView(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32 || !array.getDevice().equals(Device.cpu())
                || array.getShape().size() == 0 || array.isSparse()) {
            return Optional.empty();
        }
        FloatBuffer view = readView(array);
        float first = view.get(0);
        float marker = Float.intBitsToFloat(Float.floatToRawIntBits(first) ^ 1);
        view.put(0, marker);
        boolean aliased;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDArray flat = array.reshape(-1); NDArray element = flat.get(0)) {
            aliased = Float.floatToRawIntBits(element.getFloat()) == Float.floatToRawIntBits(marker);
        } finally {
            JniUtils.setGradMode(gradMode);
            view.put(0, first);
        }
        return aliased ? Optional.of(view) : Optional.empty();
    }

    /** A view of a float32 host tensor's memory, or of a contiguous copy of it: for reading only. */
    public static FloatBuffer readView(NDArray array) {
        return JniUtils.getByteBuffer((PtNDArray) array, true).asFloatBuffer();
    }
}
