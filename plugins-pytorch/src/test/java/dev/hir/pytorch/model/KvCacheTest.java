package dev.hir.pytorch.model;

import static dev.hir.pytorch.model.Gpt2ModelTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvCacheTest {
    private static final int VOCAB = 50;
    private static final int CONTEXT = 12;

    private static NDManager manager;
    private static Gpt2Model model;
    private static boolean gradMode;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        model = Gpt2Model.random(Gpt2Config.of(2, 32, 4, CONTEXT, VOCAB, VOCAB - 1), 7, manager);
        gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @AfterAll
    static void close() {
        JniUtils.setGradMode(gradMode);
        model.close();
        manager.close();
    }

    private static long[] tokens(int n, int salt) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (i * 7 + salt) % VOCAB;
        }
        return ids;
    }

    /** Logits {@code [T * V]} of one sequence, every position recomputed from scratch. */
    private static float[] fullLogits(long[] ids) {
        return model.logits(manager.create(ids, new Shape(1, ids.length)), manager.ones(new Shape(1, ids.length)))
                .toFloatArray();
    }

    @Test
    void preallocatedCacheFilledToTheContextEndGivesTheLogitsOfFullRecomputation() {
        long[] ids = tokens(CONTEXT, 3);
        int prefill = 5;
        try (NDScope scope = new NDScope(); KvCache cache = KvCache.preallocated(2, CONTEXT, manager)) {
            float[] full = fullLogits(ids);
            NDArray bias = manager.create(Gpt2Model.causalBias(prefill), new Shape(1, 1, prefill, prefill));
            NDArray positions = manager.create(new long[] {0, 1, 2, 3, 4}, new Shape(1, prefill));
            float[] got = model.lmHead(model.forward(manager.create(Arrays.copyOf(ids, prefill), new Shape(1, prefill)),
                    positions, bias, cache)).toFloatArray();
            assertClose(full, 0, got, 0, prefill * VOCAB);
            for (int s = prefill; s < CONTEXT; s++) {
                NDArray hidden = model.forward(manager.create(new long[] {ids[s]}, new Shape(1, 1)),
                        manager.create(new long[] {s}, new Shape(1, 1)), null, cache);
                assertEquals(s + 1, cache.length());
                assertClose(full, s * VOCAB, model.lmHead(hidden).toFloatArray(), 0, VOCAB);
            }
            assertEquals(Optional.of((long) CONTEXT), cache.capacity());
        }
    }

    /**
     * Prefills two rows of {@code prompt} positions: the first {@code prompt} tokens of {@code longRow}, and the
     * first {@code prompt - pad} of {@code shortRow} left-padded by {@code pad}. Returns the hidden states.
     */
    static NDArray prefillWithLeftPadding(Gpt2Model model, NDManager manager, KvCache cache, long[] longRow,
            long[] shortRow, int prompt, int pad) {
        int vocab = model.config().vocabSize();
        long[] ids = new long[2 * prompt];
        long[] pos = new long[2 * prompt];
        float[] bias = new float[2 * prompt * prompt];
        for (int t = 0; t < prompt; t++) {
            ids[t] = longRow[t];
            pos[t] = t;
            boolean real = t >= pad;
            ids[prompt + t] = real ? shortRow[t - pad] : vocab - 1;
            pos[prompt + t] = real ? t - pad : 0;
            for (int k = 0; k < prompt; k++) {
                bias[t * prompt + k] = k <= t ? 0f : Gpt2Model.maskedScore();
                boolean allowed = real ? k >= pad && k <= t : k == t;
                bias[(prompt + t) * prompt + k] = allowed ? 0f : Gpt2Model.maskedScore();
            }
        }
        return model.forward(manager.create(ids, new Shape(2, prompt)), manager.create(pos, new Shape(2, prompt)),
                manager.create(bias, new Shape(2, 1, prompt, prompt)), cache);
    }

    @Test
    void preallocatedCacheRefusesToGrowPastItsCapacity() {
        try (NDScope scope = new NDScope(); KvCache cache = KvCache.preallocated(2, 3, manager)) {
            model.forward(manager.create(tokens(3, 1), new Shape(1, 3)), manager.create(new long[] {0, 1, 2}, new Shape(1, 3)),
                    manager.create(Gpt2Model.causalBias(3), new Shape(1, 1, 3, 3)), cache);
            assertThrows(IllegalStateException.class, () -> model.forward(manager.create(new long[] {4}, new Shape(1, 1)),
                    manager.create(new long[] {3}, new Shape(1, 1)), null, cache));
        }
    }

    @Test
    void leftPaddedRowsOfAPreallocatedCacheEachGetTheirOwnLogits() {
        // Prompts of 7 and 3 tokens, the short one left-padded by 4; five one-token steps take the long row
        // to the context end (12) while the short one is at position 7 with 12 cache slots filled.
        long[] longRow = tokens(CONTEXT, 5);
        long[] shortRow = tokens(8, 2);
        int prompt = 7;
        int pad = 4;
        try (NDScope scope = new NDScope(); KvCache cache = KvCache.preallocated(2, CONTEXT, manager)) {
            float[] fullLong = fullLogits(longRow);
            float[] fullShort = fullLogits(shortRow);
            float[] got = model.lmHead(prefillWithLeftPadding(model, manager, cache, longRow, shortRow, prompt, pad))
                    .toFloatArray();
            assertClose(fullLong, 0, got, 0, prompt * VOCAB);
            assertClose(fullShort, 0, got, (prompt + pad) * VOCAB, (prompt - pad) * VOCAB);
            for (int s = 0; s < CONTEXT - prompt; s++) {
                int keys = prompt + s + 1;
                float[] stepBias = new float[2 * keys];
                Arrays.fill(stepBias, keys, keys + pad, Gpt2Model.maskedScore());
                int shortPosition = prompt - pad + s;
                NDArray hidden = model.forward(
                        manager.create(new long[] {longRow[prompt + s], shortRow[shortPosition]}, new Shape(2, 1)),
                        manager.create(new long[] {prompt + s, shortPosition}, new Shape(2, 1)),
                        manager.create(stepBias, new Shape(2, 1, 1, keys)), cache);
                float[] step = model.lmHead(hidden).toFloatArray();
                assertClose(fullLong, (prompt + s) * VOCAB, step, 0, VOCAB);
                assertClose(fullShort, shortPosition * VOCAB, step, VOCAB, VOCAB);
            }
            assertEquals(CONTEXT, cache.length());
        }
    }

    @Test
    void aOneRowCacheCopiedToSeveralRowsContinuesEachAsFullRecomputationDoes() {
        // One row keeps keys and values in one array; copying it to three rows splits them apart.
        long[] prompt = tokens(4, 6);
        long[][] rows = {tokens(8, 6), tokens(8, 6), tokens(8, 6)};
        rows[1][4] = 11;
        rows[2][4] = 23;
        rows[2][6] = 2;
        for (boolean preallocated : new boolean[] {true, false}) {
            try (NDScope scope = new NDScope();
                    KvCache cache = preallocated ? KvCache.preallocated(2, 8, manager) : new KvCache(2)) {
                model.forward(manager.create(prompt, new Shape(1, 4)), manager.create(new long[] {0, 1, 2, 3}, new Shape(1, 4)),
                        manager.create(Gpt2Model.causalBias(4), new Shape(1, 1, 4, 4)), cache);
                cache.keepRows(new int[] {0, 0, 0});
                for (int s = 4; s < 8; s++) {
                    long[] next = {rows[0][s], rows[1][s], rows[2][s]};
                    float[] step = model.lmHead(model.forward(manager.create(next, new Shape(3, 1)),
                            manager.create(new long[] {s}, new Shape(1, 1)), null, cache)).toFloatArray();
                    for (int r = 0; r < 3; r++) {
                        assertClose(fullLogits(rows[r]), s * VOCAB, step, r * VOCAB, VOCAB);
                    }
                }
                assertEquals(8, cache.length());
            }
        }
    }

    @Test
    void keepRowsMayRepeatARowSoThatSamplesShareTheirPromptsPrefill() {
        long[] a = tokens(9, 1);
        long[] b = tokens(9, 4);
        int prompt = 5;
        try (NDScope scope = new NDScope(); KvCache cache = KvCache.preallocated(2, 9, manager)) {
            float[] fullA = fullLogits(a);
            float[] fullB = fullLogits(b);
            long[] ids = new long[2 * prompt];
            System.arraycopy(a, 0, ids, 0, prompt);
            System.arraycopy(b, 0, ids, prompt, prompt);
            model.forward(manager.create(ids, new Shape(2, prompt)),
                    manager.create(new long[] {0, 1, 2, 3, 4}, new Shape(1, prompt)),
                    manager.create(Gpt2Model.causalBias(prompt), new Shape(1, 1, prompt, prompt)), cache);
            // Three copies of b's prefix and one of a's, continued with their own tokens.
            cache.keepRows(new int[] {1, 0, 1, 1});
            long[][] rows = {b, a, b, b};
            float[][] full = {fullB, fullA, fullB, fullB};
            for (int s = prompt; s < 9; s++) {
                long[] next = new long[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    next[r] = rows[r][s];
                }
                float[] step = model.lmHead(model.forward(manager.create(next, new Shape(rows.length, 1)),
                        manager.create(new long[] {s}, new Shape(1, 1)), null, cache)).toFloatArray();
                for (int r = 0; r < rows.length; r++) {
                    assertClose(full[r], s * VOCAB, step, r * VOCAB, VOCAB);
                }
            }
        }
    }
}
