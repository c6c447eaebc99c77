package dev.hir.api;

import java.util.Random;

/**
 * An unlimited, seeded source of examples of one task family, with a staircase of difficulty levels for
 * curricula.
 *
 * <p>Level 0 is the easiest (for composition tasks a zero-step version whose answer is a copy of something
 * in the input); {@link #defaultLevel()} reproduces the distribution of the real benchmark. Every
 * generated example carries its gold answer and, where the generator knows it, its {@link LatentState}s.
 *
 * <p>Contract: the same level and a {@link Random} in the same state give the same example; generators
 * hold no mutable state of their own and are safe to share between threads (each thread brings its own
 * {@code Random}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ExampleGenerator {

    /** The task family this generator imitates, e.g. {@code "tracking_shuffled_objects_three_objects"}. */
    String family();

    /** Number of difficulty levels; levels are {@code 0 .. levels() - 1}. */
    int levels();

    /** The level that reproduces the real benchmark's distribution. */
    int defaultLevel();

    /**
     * Generates one example.
     *
     * @param level a difficulty level in {@code [0, levels())}
     * @param random the randomness to draw from; advanced by this call
     * @throws IllegalArgumentException if the level is out of range
     */
    Example generate(int level, Random random);
}
