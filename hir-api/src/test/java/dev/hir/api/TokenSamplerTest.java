package dev.hir.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
    private static final float[] ROW = {
        (float) Math.log(0.1), (float) Math.log(0.6), (float) Math.log(0.3), Float.NEGATIVE_INFINITY
    };

    private static GenerationConfig sampling(double temperature, int topK, double topP) {
        return new GenerationConfig(1, true, temperature, topK, topP, 4, List.of(), 1L);
    }

    private static double[] frequencies(TokenSampler sampler, int draws) {
        Random random = new Random(3);
        double[] counts = new double[ROW.length];
        for (int i = 0; i < draws; i++) {
            counts[sampler.choose(ROW, 0, ROW.length, random)] += 1.0 / draws;
        }
        return counts;
    }

    @Test
    void greedyPicksTheMostLikelyTokenOfTheRowAtItsOffset() {
        float[] rows = {5f, 0f, 0f, 0f, 0f, 1f, 3f, 2f};
        assertEquals(2, TokenSampler.of(GenerationConfig.greedy(4)).choose(rows, 4, 4, new Random(0)));
    }

    @Test
    void samplingAtTemperatureOneFollowsTheDistribution() {
        double[] f = frequencies(TokenSampler.of(sampling(1.0, 0, 1.0)), 20_000);
        assertEquals(0.1, f[0], 0.015);
        assertEquals(0.6, f[1], 0.015);
        assertEquals(0.3, f[2], 0.015);
        assertEquals(0.0, f[3]);
    }

    @Test
    void lowTemperatureSharpensTheDistribution() {
        double[] f = frequencies(TokenSampler.of(sampling(0.25, 0, 1.0)), 5_000);
        // p^4 normalised: 0.6^4 / (0.1^4 + 0.6^4 + 0.3^4) = 0.941
        assertEquals(0.941, f[1], 0.02);
    }

    @Test
    void topKAndTopPRemoveTheTail() {
        double[] topK = frequencies(TokenSampler.of(sampling(1.0, 2, 1.0)), 5_000);
        assertEquals(0.0, topK[0]);
        assertEquals(2.0 / 3.0, topK[1], 0.03);
        double[] topP = frequencies(TokenSampler.of(sampling(1.0, 0, 0.5)), 2_000);
        assertEquals(1.0, topP[1], 1e-9);
    }

    @Test
    void eachSampleHasItsOwnReproducibleStream() {
        GenerationConfig config = sampling(1.0, 0, 1.0);
        assertEquals(TokenSampler.sampleSeed(1L, 2, 3), TokenSampler.sampleSeed(1L, 2, 3));
        assertNotEquals(TokenSampler.sampleSeed(1L, 2, 3), TokenSampler.sampleSeed(1L, 3, 2));
        assertNotEquals(TokenSampler.sampleSeed(1L, 0, 0), TokenSampler.sampleSeed(2L, 0, 0));
        assertEquals(TokenSampler.sampleRandom(config, 4, 1).nextLong(), TokenSampler.sampleRandom(config, 4, 1).nextLong());
    }

    @Test
    void endingFollowsEndOfSequenceThenStopStringsThenLength() {
        java.util.function.Function<int[], String> decode = ids -> {
            var sb = new StringBuilder();
            for (int id : ids) {
                sb.append((char) ('a' + id));
            }
            return sb.toString();
        };
        GenerationConfig config = new GenerationConfig(1, true, 1.0, 0, 1.0, 4, List.of("c"), 0L);
        assertEquals(new TokenSampler.Ending(Generation.FinishReason.END_OF_SEQUENCE, "ab"),
                TokenSampler.ending(new int[] {0, 1, 9}, 3, 9, 3, 100, config, decode).orElseThrow());
        assertEquals(new TokenSampler.Ending(Generation.FinishReason.STOP_STRING, "ab"),
                TokenSampler.ending(new int[] {0, 1, 2}, 3, 9, 3, 100, config, decode).orElseThrow());
        assertEquals(new TokenSampler.Ending(Generation.FinishReason.LENGTH, "abab"),
                TokenSampler.ending(new int[] {0, 1, 0, 1}, 4, 9, 3, 100, config, decode).orElseThrow());
        assertEquals(new TokenSampler.Ending(Generation.FinishReason.LENGTH, "ab"),
                TokenSampler.ending(new int[] {0, 1}, 2, 9, 8, 10, config, decode).orElseThrow(), "the context is full");
        assertTrue(TokenSampler.ending(new int[] {0, 1}, 2, 9, 3, 100, config, decode).isEmpty());
        assertTrue(TokenSampler.ending(new int[] {0, 1, 9, 9}, 2, 9, 3, 100, config, decode).isEmpty(), "only the first count tokens count");
    }

    @Test
    void stopAtFindsTheEarliestStopString() {
        assertEquals(OptionalInt.of(3), TokenSampler.stopAt("(A)\nQ: x.", List.of(".", "\n")));
        assertTrue(TokenSampler.stopAt("(A)", List.of("\n")).isEmpty());
        assertTrue(TokenSampler.stopAt("(A)", List.of()).isEmpty());
    }
}
