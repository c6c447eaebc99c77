package dev.hir.bigbench.generate;

import dev.hir.api.ExampleGenerator;
import java.util.Optional;

/**
 * A generator that also reads the real benchmark: its solver (the same logic that computes generated gold
 * answers) parses a real input, and its sentence templates say whether they cover a real input's line.
 * This is what the fidelity checks measure.
 */
public interface FaithfulGenerator extends ExampleGenerator {

    /** The gold answer of a real input as this family's solver computes it; empty if it cannot parse it. */
    Optional<String> solve(String input);

    /** Whether one line of a real input is produced by this generator's templates and vocabularies. */
    boolean parsesLine(String line);
}
