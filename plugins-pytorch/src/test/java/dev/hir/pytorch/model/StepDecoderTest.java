package dev.hir.pytorch.model;

import static dev.hir.pytorch.model.Gpt2ModelTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class StepDecoderTest {
    private static final int VOCAB = 50;
    private static final int CONTEXT = 12;

    private static NDManager manager;
    private static boolean gradMode;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @AfterAll
    static void close() {
        JniUtils.setGradMode(gradMode);
        manager.close();
    }

    private static Gpt2Model model(Activation activation) {
        return Gpt2Model.random(Gpt2Config.of(2, 32, 4, CONTEXT, VOCAB, VOCAB - 1).withActivation(activation), 7, manager);
    }

    private static long[] tokens(int n, int salt) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (i * 7 + salt) % VOCAB;
        }
        return ids;
    }

    private static float[] fullLogits(Gpt2Model model, long[] ids) {
        return model.logits(manager.create(ids, new Shape(1, ids.length)), manager.ones(new Shape(1, ids.length)))
                .toFloatArray();
    }

    /** Prefills {@code prompts} (same length) into a growing cache. */
    private static KvCache prefill(Gpt2Model model, long[][] prompts, int length) {
        KvCache cache = new KvCache(model.config().nLayer());
        long[] ids = new long[prompts.length * length];
        long[] positions = new long[length];
        for (int t = 0; t < length; t++) {
            positions[t] = t;
            for (int r = 0; r < prompts.length; r++) {
                ids[r * length + t] = prompts[r][t];
            }
        }
        model.forward(manager.create(ids, new Shape(prompts.length, length)), manager.create(positions, new Shape(1, length)),
                manager.create(Gpt2Model.causalBias(length), new Shape(1, 1, length, length)), cache);
        return cache;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void stepsToTheContextEndGiveTheLogitsOfFullRecomputation(Activation activation) {
        long[] ids = tokens(CONTEXT, 3);
        int prompt = 5;
        try (Gpt2Model model = model(activation); NDScope scope = new NDScope();
                KvCache cache = prefill(model, new long[][] {ids}, prompt);
                StepDecoder decoder = StepDecoder.start(model, cache, new int[] {0}, new int[] {0}, CONTEXT, manager)) {
            float[] full = fullLogits(model, ids);
            for (int s = prompt; s < CONTEXT; s++) {
                NDArray hidden = decoder.step(new int[] {(int) ids[s]}, new int[] {s});
                assertEquals(s + 1, decoder.length());
                assertClose(full, s * VOCAB, model.lmHead(hidden).toFloatArray(), 0, VOCAB);
            }
        }
    }

    @Test
    void rowsSharingAPrefillAndLeftPaddedRowsEachGetTheirOwnLogits() {
        // Row 0 of the cache is a 7-token prompt; row 1 a 3-token prompt left-padded by 4. The decoder runs
        // three rows: the long prompt twice (continued differently) and the padded one.
        long[] longRow = tokens(CONTEXT, 5);
        long[] other = tokens(CONTEXT, 5);
        other[7] = 11;
        other[9] = 2;
        long[] shortRow = tokens(8, 2);
        int prompt = 7;
        int pad = 4;
        try (Gpt2Model model = model(Activation.GELU_NEW); NDScope scope = new NDScope();
                KvCache cache = new KvCache(2)) {
            KvCacheTest.prefillWithLeftPadding(model, manager, cache, longRow, shortRow, prompt, pad);
            float[][] full = {fullLogits(model, longRow), fullLogits(model, other), fullLogits(model, shortRow)};
            try (StepDecoder decoder = StepDecoder.start(model, cache, new int[] {0, 0, 1}, new int[] {0, 0, pad},
                    CONTEXT, manager)) {
                for (int s = 0; s < CONTEXT - prompt; s++) {
                    int shortPosition = prompt - pad + s;
                    float[] step = model.lmHead(decoder.step(
                            new int[] {(int) longRow[prompt + s], (int) other[prompt + s], (int) shortRow[shortPosition]},
                            new int[] {prompt + s, prompt + s, shortPosition})).toFloatArray();
                    assertClose(full[0], (prompt + s) * VOCAB, step, 0, VOCAB);
                    assertClose(full[1], (prompt + s) * VOCAB, step, VOCAB, VOCAB);
                    assertClose(full[2], shortPosition * VOCAB, step, 2 * VOCAB, VOCAB);
                }
            }
        }
    }

    @Test
    void keptRowsContinueAsTheyWouldHaveAndTheOthersAreDropped() {
        long[][] rows = {tokens(10, 1), tokens(10, 2), tokens(10, 3)};
        int prompt = 4;
        try (Gpt2Model model = model(Activation.GELU_NEW); NDScope scope = new NDScope();
                KvCache cache = prefill(model, rows, prompt);
                StepDecoder decoder = StepDecoder.start(model, cache, new int[] {0, 1, 2}, new int[3], 10, manager)) {
            decoder.step(new int[] {(int) rows[0][4], (int) rows[1][4], (int) rows[2][4]}, new int[] {4, 4, 4});
            decoder.keepRows(new int[] {0, 2});
            assertEquals(2, decoder.rows());
            for (int s = 5; s < 10; s++) {
                float[] step = model.lmHead(decoder.step(new int[] {(int) rows[0][s], (int) rows[2][s]},
                        new int[] {s, s})).toFloatArray();
                assertClose(fullLogits(model, rows[0]), s * VOCAB, step, 0, VOCAB);
                assertClose(fullLogits(model, rows[2]), s * VOCAB, step, VOCAB, VOCAB);
            }
            assertThrows(IllegalArgumentException.class, () -> decoder.keepRows(new int[] {1, 0}));
        }
    }

    @Test
    void theSameInputsGiveTheSameBits() {
        long[] ids = tokens(CONTEXT, 9);
        float[][] runs = new float[2][];
        try (Gpt2Model model = model(Activation.GELU_NEW)) {
            for (int run = 0; run < 2; run++) {
                try (NDScope scope = new NDScope(); KvCache cache = prefill(model, new long[][] {ids}, 3);
                        StepDecoder decoder = StepDecoder.start(model, cache, new int[] {0}, new int[] {0}, CONTEXT, manager)) {
                    for (int s = 3; s < CONTEXT; s++) {
                        runs[run] = model.lmHead(decoder.step(new int[] {(int) ids[s]}, new int[] {s})).toFloatArray();
                    }
                }
            }
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void aStepPastTheCapacityOrWithATokenOutsideTheVocabularyIsRefused() {
        try (Gpt2Model model = model(Activation.GELU_NEW); NDScope scope = new NDScope();
                KvCache cache = prefill(model, new long[][] {tokens(3, 1)}, 3);
                StepDecoder decoder = StepDecoder.start(model, cache, new int[] {0}, new int[] {0}, 4, manager)) {
            assertThrows(IllegalArgumentException.class, () -> decoder.step(new int[] {VOCAB}, new int[] {3}));
            assertThrows(IllegalArgumentException.class, () -> decoder.step(new int[] {1}, new int[] {CONTEXT}));
            assertThrows(IllegalArgumentException.class, () -> decoder.step(new int[] {1, 2}, new int[] {3, 3}));
            decoder.step(new int[] {1}, new int[] {3});
            assertThrows(IllegalStateException.class, () -> decoder.step(new int[] {1}, new int[] {4}));
        }
    }

    @Test
    void onlySmallBatchesOverShortContextsAreDecodedInJava() {
        Gpt2Config a = Gpt2Config.of(2, 128, 4, 128, 512, 511);
        Gpt2Config gpt2 = Gpt2Config.of(12, 768, 12, 1024, 50257, 50256);
        assertTrue(StepDecoder.suits(a, 1, 128, 1));
        assertTrue(StepDecoder.suits(a, 16, 128, 1));
        assertFalse(StepDecoder.suits(a, 32, 128, 1));
        assertTrue(StepDecoder.suits(a, 8, 128, 2));
        assertFalse(StepDecoder.suits(a, 16, 128, 2));
        assertTrue(StepDecoder.suits(gpt2, 1, 128, 2));
        assertFalse(StepDecoder.suits(gpt2, 1, 1024, 1));
    }
}
