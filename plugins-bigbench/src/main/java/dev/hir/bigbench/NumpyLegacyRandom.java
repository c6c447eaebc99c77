package dev.hir.bigbench;

/**
 * NumPy's legacy {@code RandomState} (MT19937 seeded with {@code init_genrand}) as far as
 * {@code np.random.seed(s); np.random.permutation(n)} needs it, so that splits match the reference
 * code's example for example.
 */
final class NumpyLegacyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /** Seeds like {@code np.random.seed(seed)} for a seed in {@code [0, 2^32)}. */
    NumpyLegacyRandom(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be in [0, 2^32): " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** The next raw 32-bit output, as an unsigned value. */
    long nextUint32() {
        if (index >= N) {
            regenerate();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void regenerate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /** A uniform integer in {@code [0, max]}: NumPy's masked rejection sampling on 32-bit outputs. */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** {@code np.random.permutation(n)}: a Fisher-Yates shuffle of {@code 0..n-1} from the end. */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
