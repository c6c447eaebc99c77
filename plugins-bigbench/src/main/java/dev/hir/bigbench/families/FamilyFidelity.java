package dev.hir.bigbench.families;

import dev.hir.api.Example;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fidelity check of this package's generators against real examples: how many real golds each family's solver
 * reproduces, and how many real inputs the generator's templates parse. For the fidelity table of a bench or CLI.
 */
public final class FamilyFidelity {

    /**
     * @param family the task family
     * @param examples real examples measured
     * @param solved examples whose gold the solver reproduces
     * @param templateParsed examples whose whole input is in the generator's template forms
     */
    public record Result(String family, int examples, int solved, int templateParsed) {
        /** Share of golds reproduced. */
        public double solverAccuracy() {
            return examples == 0 ? 0 : (double) solved / examples;
        }

        /** Share of inputs the templates parse. */
        public double templateShare() {
            return examples == 0 ? 0 : (double) templateParsed / examples;
        }
    }

    private record Family(Function<String, Optional<Integer>> solver, Predicate<String> template) {}

    private static final Map<String, Family> FAMILIES = Map.of(
            DateUnderstandingGenerator.FAMILY,
            new Family(DateUnderstandingGenerator::solve, DateUnderstandingGenerator::inTemplateForm),
            GeometricShapesGenerator.FAMILY,
            new Family(GeometricShapesGenerator::solve, GeometricShapesGenerator::inTemplateForm),
            PenguinsInATableGenerator.FAMILY,
            new Family(PenguinsInATableGenerator::solve, PenguinsInATableGenerator::inTemplateForm),
            ReasoningAboutColoredObjectsGenerator.FAMILY,
            new Family(ReasoningAboutColoredObjectsGenerator::solve,
                    ReasoningAboutColoredObjectsGenerator::inTemplateForm));

    private FamilyFidelity() {}

    /** The families measured here. */
    public static List<String> families() {
        return FAMILIES.keySet().stream().sorted().toList();
    }

    /**
     * The gold target, e.g. {@code "(B)"}, that a family's solver computes for an input, if it can read it.
     *
     * @throws IllegalArgumentException if the family is not one of {@link #families()}
     */
    public static Optional<String> solve(String family, String input) {
        return family(family).solver().apply(input).map(MultipleChoice::letter);
    }

    /**
     * Measures a family's solver and templates on real examples (multiple-choice, letter targets).
     *
     * @throws IllegalArgumentException if the family is not one of {@link #families()}
     */
    public static Result measure(String family, List<Example> real) {
        Family f = family(family);
        int solved = 0;
        int parsed = 0;
        for (Example e : real) {
            if (f.solver().apply(e.input()).map(MultipleChoice::letter).filter(e.target()::equals).isPresent()) {
                solved++;
            }
            if (f.template().test(e.input())) {
                parsed++;
            }
        }
        return new Result(family, real.size(), solved, parsed);
    }

    private static Family family(String name) {
        Family f = FAMILIES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no solver for family " + name + "; known: " + families());
        }
        return f;
    }
}
