package dev.hir.bigbench;

import dev.hir.api.InvalidInputException;
import java.util.Locale;

/** How a loader divides a file's examples into train and test. */
public enum SplitMode {
    /**
     * The reference code's split: {@code np.random.seed(splitSeed)} permutation of the file's examples,
     * the first {@code int(trainShare·N)} are train (seed 1, share 0.8 reproduce the paper).
     */
    REFERENCE,
    /** The same permutation, seeded with the run's seed instead of {@code splitSeed}. */
    RUN_SEED,
    /** Every example is a test example (evaluation only). */
    ALL_TEST;

    /** Parses a configuration value: {@code reference}, {@code run-seed} or {@code all-test}. */
    public static SplitMode parse(String field, String value) {
        for (SplitMode m : values()) {
            if (m.configName().equals(value)) {
                return m;
            }
        }
        throw new InvalidInputException(field, "unknown split '" + value + "', expected reference, run-seed or all-test");
    }

    /** The name users write in configurations. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
