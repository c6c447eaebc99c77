package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * How faithful a generator is to the real benchmark: its solver's accuracy on the real examples, the share
 * of real input lines its templates produce, how often generated inputs coincide with real ones, and the
 * answer shares of generated versus real examples.
 *
 * @param family the task family
 * @param real number of real examples
 * @param solved real examples whose gold answer the family's solver reproduces (-1 without a solver)
 * @param lines lines in the real inputs
 * @param linesParsed of those, lines the generator's templates produce (-1 without templates)
 * @param generated generated examples checked at the default level
 * @param leaks generated inputs equal to a real input
 * @param generatedShares the share of each answer among generated examples (multiple choice only)
 * @param realShares the share of each answer among the real examples (multiple choice only)
 */
public record Fidelity(String family, int real, int solved, int lines, int linesParsed, int generated, int leaks,
        Map<String, Double> generatedShares, Map<String, Double> realShares) {

    /** Measures one generator against its family's real examples. */
    public static Fidelity measure(ExampleGenerator g, List<Example> realExamples, int generatedCount, long seed) {
        int solved = -1;
        int lines = 0;
        int parsed = -1;
        var realInputs = new HashSet<String>();
        for (Example e : realExamples) {
            realInputs.add(e.input());
            lines += e.input().split("\n", -1).length;
        }
        var faithful = BigBenchGeneratorFactory.faithful(g);
        if (faithful.isPresent()) {
            FaithfulGenerator f = faithful.get();
            solved = 0;
            parsed = 0;
            for (Example e : realExamples) {
                if (f.solve(e.input()).filter(e.target()::equals).isPresent()) {
                    solved++;
                }
                for (String line : e.input().split("\n", -1)) {
                    if (f.parsesLine(line)) {
                        parsed++;
                    }
                }
            }
        }
        Random r = new Random(seed);
        int leaks = 0;
        var generatedCounts = new TreeMap<String, Integer>();
        for (int i = 0; i < generatedCount; i++) {
            Example e = g.generate(g.defaultLevel(), r);
            if (realInputs.contains(e.input())) {
                leaks++;
            }
            if (e.isMultipleChoice()) {
                generatedCounts.merge(e.target(), 1, Integer::sum);
            }
        }
        var realCounts = new TreeMap<String, Integer>();
        for (Example e : realExamples) {
            if (e.isMultipleChoice()) {
                realCounts.merge(e.target(), 1, Integer::sum);
            }
        }
        return new Fidelity(g.family(), realExamples.size(), solved, lines, parsed, generatedCount, leaks,
                shares(generatedCounts), shares(realCounts));
    }

    private static Map<String, Double> shares(Map<String, Integer> counts) {
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        var out = new TreeMap<String, Double>();
        counts.forEach((k, v) -> out.put(k, v / total));
        return out;
    }

    /** The largest gap between an answer's generated share and the uniform share; 0 if not multiple choice. */
    public double maxLetterImbalance() {
        if (generatedShares.isEmpty()) {
            return 0;
        }
        double uniform = 1.0 / generatedShares.size();
        return generatedShares.values().stream().mapToDouble(s -> Math.abs(s - uniform)).max().orElse(0);
    }

}
