package dev.hir.api;

import java.util.List;

/**
 * How a {@link Policy} generates: the names follow Hugging Face's generation config.
 *
 * @param numReturnSequences samples per prompt, at least 1
 * @param doSample {@code false} for greedy decoding (temperature, top-k and top-p are then ignored)
 * @param temperature softmax temperature, &gt; 0
 * @param topK keep only the k most likely tokens; 0 disables
 * @param topP nucleus sampling: keep the smallest set of tokens with this total probability; 1 disables
 * @param maxNewTokens the most tokens generated per sample, at least 1
 * @param stopStrings generation of a sample stops once its text contains one of these; the text is cut
 *     before the stop string
 * @param seed seeds the sampling; the same seed, prompts and weights give the same samples
 */
@API(status = API.Status.STABLE, since = "0.1")
public record GenerationConfig(
        int numReturnSequences,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        int maxNewTokens,
        List<String> stopStrings,
        long seed) {

    public GenerationConfig {
        if (numReturnSequences < 1) {
            throw new IllegalArgumentException("numReturnSequences must be >= 1, got " + numReturnSequences);
        }
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (!(topP > 0.0 && topP <= 1.0)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding of one sequence per prompt. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(1, false, 1.0, 0, 1.0, maxNewTokens, List.of(), 0L);
    }

    /** Plain sampling at a temperature, without top-k/top-p. */
    public static GenerationConfig sampling(int n, double temperature, int maxNewTokens, long seed) {
        return new GenerationConfig(n, true, temperature, 0, 1.0, maxNewTokens, List.of(), seed);
    }

    /** A copy with other stop strings. */
    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(numReturnSequences, doSample, temperature, topK, topP, maxNewTokens, stops, seed);
    }

    /** A copy with another seed. */
    public GenerationConfig withSeed(long newSeed) {
        return new GenerationConfig(
                numReturnSequences, doSample, temperature, topK, topP, maxNewTokens, stopStrings, newSeed);
    }
}
