package dev.hir.pytorch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostMemoryTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void writableViewWritesReachTheTensorAndTheProbeLeavesItUnchanged() {
        float[] values = {0.5f, -1f, 2f, 0.25f, 3f, -7f};
        NDArray a = manager.create(values, new Shape(2, 3));
        Optional<FloatBuffer> view = HostMemory.writableView(a);
        assertTrue(view.isPresent());
        assertArrayEquals(values, a.toFloatArray(), 0f);
        view.get().put(4, 42f);
        assertEquals(42f, a.toFloatArray()[4]);
    }

    @Test
    void writableViewIsEmptyWhereDjlWouldHandOutACopy() {
        NDArray matrix = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        assertTrue(HostMemory.writableView(matrix.transpose()).isEmpty(), "a transposed view is not contiguous");
        assertTrue(HostMemory.writableView(matrix.toType(DataType.FLOAT64, false)).isEmpty(), "float64");
        assertTrue(HostMemory.writableView(manager.create(new float[0])).isEmpty(), "no elements");
    }
}
