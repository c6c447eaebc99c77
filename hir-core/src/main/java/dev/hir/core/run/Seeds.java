package dev.hir.core.run;

/**
 * Derives the seed of each random stream of a run from the base seed, the iteration and the stream's
 * name. Streams are never carried over between iterations, so a resumed run draws exactly what an
 * uninterrupted one would without saving any generator state.
 */
public final class Seeds {
    private Seeds() {}

    public static long derive(long seed, int iteration, String stream) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ iteration);
        for (int i = 0; i < stream.length(); i++) {
            h = mix(h ^ stream.charAt(i));
        }
        return h;
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
