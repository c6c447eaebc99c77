package dev.hir.pytorch.sampling;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of log-probabilities, in Java: greedy, or a draw from the
 * temperature-scaled distribution restricted by top-k and top-p. Each sample has its own {@link Random},
 * so what it draws does not depend on which other samples share its batch.
 */
final class TokenChooser {
    private final boolean sample;
    private final double temperature;
    private final int topK;
    private final double topP;
    private double[] weights = new double[0];
    private float[] scratch = new float[0];

    TokenChooser(boolean sample, double temperature, int topK, double topP) {
        this.sample = sample;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    /** The chosen token id of row {@code logProbs[offset, offset + vocab)}. */
    int choose(float[] logProbs, int offset, int vocab, Random random) {
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
}
