package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.bigbench.BbhFiles;
import dev.hir.bigbench.families.FamilyFidelity;
import dev.hir.api.PluginContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Prints the per-family fidelity table (Markdown) of the 12 generators against the real BBH files:
 * {@code java … dev.hir.bigbench.generate.FidelityTable [bbhDir] [generatedPerFamily]}.
 */
public final class FidelityTable {
    private FidelityTable() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : BbhFiles.defaultDirectory());
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        System.out.println(table(dir, n));
    }

    /** The table for every family of {@link BigBenchGeneratorFactory}, drawing {@code generated} examples each. */
    public static String table(Path bbhDir, int generated) {
        var factory = new BigBenchGeneratorFactory();
        var sb = new StringBuilder();
        sb.append("| family | solver = gold on real | real text the templates parse | raw generated = real input"
                + " | after exclusion | max |generated letter share − uniform| | same for real |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (String family : factory.families()) {
            List<Example> real = BbhFiles.read(bbhDir.resolve(family + ".json"), family);
            ExampleGenerator raw = create(factory, family, bbhDir, false);
            ExampleGenerator clean = create(factory, family, bbhDir, true);
            Fidelity f = Fidelity.measure(raw, real, generated, 1);
            int leaksAfter = Fidelity.measure(clean, real, generated, 1).leaks();
            String solver;
            String coverage;
            if (f.solved() >= 0) {
                solver = count(f.solved(), f.real());
                coverage = count(f.linesParsed(), f.lines()) + " lines";
            } else if (FamilyFidelity.families().contains(family)) {
                FamilyFidelity.Result r = FamilyFidelity.measure(family, real);
                solver = count(r.solved(), r.examples());
                coverage = count(r.templateParsed(), r.examples()) + " inputs";
            } else {
                solver = "–";
                coverage = "–";
            }
            sb.append("| ").append(family).append(" | ").append(solver).append(" | ").append(coverage)
                    .append(" | ").append(f.leaks()).append('/').append(generated)
                    .append(" | ").append(leaksAfter).append('/').append(generated)
                    .append(" | ").append(f.generatedShares().isEmpty() ? "–" : String.format("%.3f", f.maxLetterImbalance()))
                    .append(" | ").append(f.realShares().isEmpty() ? "–" : String.format("%.3f", imbalance(f)))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static double imbalance(Fidelity f) {
        double uniform = 1.0 / f.realShares().size();
        return f.realShares().values().stream().mapToDouble(s -> Math.abs(s - uniform)).max().orElse(0);
    }

    private static ExampleGenerator create(BigBenchGeneratorFactory factory, String family, Path dir, boolean exclude) {
        return factory.create(new BigBenchGeneratorFactory.Config(family, null, null, dir.toString(), exclude),
                new PluginContext() {
                    @Override
                    public long seed() {
                        return 0;
                    }

                    @Override
                    public Path baseDirectory() {
                        return Path.of("").toAbsolutePath();
                    }

                    @Override
                    public Optional<Path> runDirectory() {
                        return Optional.empty();
                    }

                    @Override
                    public int computeThreads() {
                        return 1;
                    }
                });
    }

    private static String count(int a, int b) {
        return a + "/" + b + String.format(" (%.1f%%)", 100.0 * a / b);
    }
}
