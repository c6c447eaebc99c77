package dev.hir.pytorch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hir.pytorch.tensor.HostMemory;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWKernelTest {

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
    void passesOverSeveralChunksMatchTheOperationsOneByOne() {
        int n = 3 * 4096 + 17;
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        float[] p = new float[n];
        Random random = new Random(5);
        for (int i = 0; i < n; i++) {
            g[i] = (float) random.nextGaussian();
            m[i] = (float) random.nextGaussian() * 0.1f;
            v[i] = (float) Math.abs(random.nextGaussian()) * 0.01f;
            p[i] = (float) random.nextGaussian();
        }
        NDArray gradient = manager.create(g);
        NDArray first = manager.create(m);
        NDArray second = manager.create(v);
        NDArray parameter = manager.create(p);
        AdamWKernel kernel = new AdamWKernel();
        kernel.moments(HostMemory.readView(gradient), HostMemory.writableView(first).orElseThrow(),
                HostMemory.writableView(second).orElseThrow(), n, 0.5f, 0.9f, 0.1f, 0.99f, 0.01f);
        NDArray root = second.sqrt();
        kernel.apply(HostMemory.writableView(parameter).orElseThrow(), HostMemory.writableView(first).orElseThrow(),
                HostMemory.readView(root), n, 0.3f, 1e-8f, 0.01f, 0.999f);
        // The same arithmetic as libtorch operations.
        NDArray gs = manager.create(g).mul(manager.create(0.5f));
        NDArray wantM = manager.create(m).mul(manager.create(0.9f)).add(gs.mul(manager.create(0.1f)));
        NDArray wantV = manager.create(v).mul(manager.create(0.99f)).add(gs.square().mul(manager.create(0.01f)));
        NDArray denominator = wantV.sqrt().div(manager.create(0.3f)).add(manager.create(1e-8f));
        NDArray wantP = manager.create(p).mul(manager.create(0.999f))
                .sub(wantM.div(denominator).mul(manager.create(0.01f)));
        assertArrayEquals(wantM.toFloatArray(), first.toFloatArray(), 0f);
        assertArrayEquals(wantV.toFloatArray(), second.toFloatArray(), 0f);
        assertArrayEquals(wantP.toFloatArray(), parameter.toFloatArray(), 0f);
    }
}
