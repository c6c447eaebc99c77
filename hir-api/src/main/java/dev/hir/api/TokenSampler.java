package dev.hir.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;

/**
 * The reference implementation of {@link GenerationConfig}'s decoding semantics, for policy plugins: how the
 * next token is chosen from one row of log-probabilities (greedy, or a draw from the temperature-scaled
 * distribution restricted by top-k and then top-p), how each sample's random stream is derived from the
 * seed, and where stop strings cut a text.
 *
 * <p>Two policies that use it on the same log-probabilities draw the same tokens, whatever engine computes
 * them: the PyTorch policy and the ONNX Runtime rollout policy do, so a run may switch its rollout engine
 * without changing its samples beyond float rounding. Greedy decoding picks the first maximum. An instance
 * keeps scratch buffers: use one per thread.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TokenSampler {
    private final boolean sample;
    private final double temperature;
    private final int topK;
    private final double topP;
    private double[] weights = new double[0];
    private float[] scratch = new float[0];

    private TokenSampler(boolean sample, double temperature, int topK, double topP) {
        this.sample = sample;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    /** A sampler for the decoding settings of {@code config} (greedy, temperature, top-k, top-p). */
    public static TokenSampler of(GenerationConfig config) {
        return new TokenSampler(config.doSample(), config.temperature(), config.topK(), config.topP());
    }

    /**
     * Chooses the next token of one row.
     *
     * @param logProbs log-probabilities (or logits: only differences matter) of several rows
     * @param offset where the row starts in {@code logProbs}
     * @param vocab how many token ids the row has that may be chosen
     * @param random the sample's own stream, see {@link #sampleRandom}; not used for greedy decoding
     * @return the chosen token id, in {@code [0, vocab)}
     */
    public int choose(float[] logProbs, int offset, int vocab, Random random) {
        int best = offset;
        for (int i = offset + 1; i < offset + vocab; i++) {
            if (logProbs[i] > logProbs[best]) {
                best = i;
            }
        }
        if (!sample) {
            return best - offset;
        }
        float max = logProbs[best];
        float floor = Float.NEGATIVE_INFINITY;
        if (topK > 0 && topK < vocab) {
            floor = kthLargest(logProbs, offset, vocab, topK);
        }
        if (weights.length < vocab) {
            weights = new double[vocab];
        }
        double total = 0;
        for (int v = 0; v < vocab; v++) {
            float lp = logProbs[offset + v];
            double w = lp >= floor ? Math.exp((lp - max) / temperature) : 0.0;
            weights[v] = w;
            total += w;
        }
        if (topP < 1.0) {
            total = nucleus(vocab, total);
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = best - offset;
        for (int v = 0; v < vocab; v++) {
            if (weights[v] > 0) {
                cumulative += weights[v];
                last = v;
                if (u < cumulative) {
                    return v;
                }
            }
        }
        return last;
    }

    /** Keeps the smallest set of most likely tokens whose mass reaches topP; returns the kept mass. */
    private double nucleus(int vocab, double total) {
        if (scratch.length < vocab) {
            scratch = new float[vocab];
        }
        int n = 0;
        for (int v = 0; v < vocab; v++) {
            if (weights[v] > 0) {
                scratch[n++] = (float) weights[v];
            }
        }
        Arrays.sort(scratch, 0, n);
        double target = topP * total;
        double cumulative = 0;
        float threshold = 0f;
        for (int i = n - 1; i >= 0; i--) {
            cumulative += scratch[i];
            threshold = scratch[i];
            if (cumulative >= target) {
                break;
            }
        }
        double kept = 0;
        for (int v = 0; v < vocab; v++) {
            if (weights[v] > 0 && (float) weights[v] < threshold) {
                weights[v] = 0;
            }
            kept += weights[v];
        }
        return kept;
    }

    /** The k-th largest value of the row (quickselect on a copy). */
    private float kthLargest(float[] row, int offset, int vocab, int k) {
        if (scratch.length < vocab) {
            scratch = new float[vocab];
        }
        System.arraycopy(row, offset, scratch, 0, vocab);
        int lo = 0;
        int hi = vocab - 1;
        int target = k - 1;
        while (lo < hi) {
            float pivot = scratch[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (scratch[i] > pivot) {
                    i++;
                }
                while (scratch[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = scratch[i];
                    scratch[i] = scratch[j];
                    scratch[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return scratch[target];
    }

    /**
     * The random stream of sample {@code sample} of prompt {@code prompt} (0-based, in the order given to
     * {@link Policy#generate}) under {@code config}'s seed. Deriving it from these three numbers, rather than
     * drawing from one stream, makes a sample independent of batch size, batch composition and engine.
     */
    public static Random sampleRandom(GenerationConfig config, int prompt, int sample) {
        return new Random(sampleSeed(config.seed(), prompt, sample));
    }

    /** The seed of {@link #sampleRandom}: SplitMix64 finalizers over the three numbers. */
    public static long sampleSeed(long seed, int prompt, int sample) {
        long z = mix(seed ^ 0x9E3779B97F4A7C15L);
        z = mix(z + prompt);
        return mix(z + ((long) sample << 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** How a sample ended: why, and its text (without the end-of-sequence token or the stop string). */
    public record Ending(Generation.FinishReason reason, String text) {}

    /**
     * Whether a sample ends after its latest token, by the rules every policy follows: the end-of-sequence
     * token ends it (and is not part of the text); else a stop string in the decoded text ends it (the text
     * stops before it); else reaching {@code maxNewTokens} or the context ends it.
     *
     * @param generated the sample's tokens so far in its first {@code count} entries, the latest last (a
     *     decoding buffer: the rule copies only what it decodes, so calling it after every token is cheap)
     * @param count how many tokens the sample has
     * @param promptLength the prompt's token count (prompt plus sample may not exceed the context)
     * @param contextLength the model's context length
     * @param decode the policy's tokenizer: token ids to text
     * @return the ending, or empty while the sample goes on
     */
    public static Optional<Ending> ending(int[] generated, int count, int endOfSequence, int promptLength,
            int contextLength, GenerationConfig config, Function<int[], String> decode) {
        if (count > 0 && generated[count - 1] == endOfSequence) {
            return Optional.of(new Ending(Generation.FinishReason.END_OF_SEQUENCE, decode.apply(Arrays.copyOf(generated, count - 1))));
        }
        String text = null;
        if (!config.stopStrings().isEmpty()) {
            text = decode.apply(Arrays.copyOf(generated, count));
            OptionalInt cut = stopAt(text, config.stopStrings());
            if (cut.isPresent()) {
                return Optional.of(new Ending(Generation.FinishReason.STOP_STRING, text.substring(0, cut.getAsInt())));
            }
        }
        if (count >= config.maxNewTokens() || promptLength + count >= contextLength) {
            return Optional.of(new Ending(Generation.FinishReason.LENGTH,
                    text != null ? text : decode.apply(Arrays.copyOf(generated, count))));
        }
        return Optional.empty();
    }

    /**
     * Where a generated text must be cut: the start of the earliest of {@code stopStrings} in it, if any
     * ({@link GenerationConfig#stopStrings()}: the text ends before the stop string).
     */
    public static OptionalInt stopAt(String text, List<String> stopStrings) {
        int cut = -1;
        for (String stop : stopStrings) {
            int at = text.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut < 0 ? OptionalInt.empty() : OptionalInt.of(cut);
    }
}
