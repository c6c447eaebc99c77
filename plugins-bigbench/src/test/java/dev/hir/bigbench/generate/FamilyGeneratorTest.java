package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.GeneratorFactory;
import dev.hir.api.LatentState;
import dev.hir.bigbench.BbhFiles;
import dev.hir.testkit.GeneratorContract;
import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contract plus the fidelity checks every family of {@link BigBenchGeneratorFactory} passes. */
abstract class FamilyGeneratorTest extends GeneratorContract {

    /** The family under test. */
    abstract String family();

    /** How many generated examples the statistical checks draw (fewer for slow families). */
    int sampleSize() {
        return 2000;
    }

    static Path bbhDir() {
        String d = System.getProperty("bbh.dir", "");
        return Path.of(d.isBlank() ? "../../shared/data/bbh" : d);
    }

    List<Example> real() {
        return BbhFiles.read(bbhDir().resolve(family() + ".json"), family());
    }

    FaithfulGenerator faithful() {
        return BigBenchGeneratorFactory.faithful(createGenerator()).orElseThrow();
    }

    @Override
    protected GeneratorFactory<?> factory() {
        return new BigBenchGeneratorFactory();
    }

    @Override
    protected ExampleGenerator createGenerator() {
        var f = new BigBenchGeneratorFactory();
        var c = f.configFor(family());
        return f.create(new BigBenchGeneratorFactory.Config(c.family(), c.scenarios(), c.wordList(),
                bbhDir().toString(), c.excludeReal()), TestingPluginContext.create());
    }

    @Test
    void solverReproducesEveryRealGoldAnswer() {
        FaithfulGenerator g = faithful();
        var real = real();
        long solved = real.stream().filter(e -> g.solve(e.input()).filter(e.target()::equals).isPresent()).count();
        assertEquals(real.size(), solved, family() + ": solver matches gold on " + solved + "/" + real.size());
    }

    @Test
    void templatesParseEveryRealLine() {
        FaithfulGenerator g = faithful();
        int lines = 0;
        int parsed = 0;
        for (Example e : real()) {
            for (String line : e.input().split("\n", -1)) {
                lines++;
                if (g.parsesLine(line)) {
                    parsed++;
                }
            }
        }
        assertEquals(lines, parsed, family() + ": templates parse " + parsed + "/" + lines + " real lines");
    }

    @Test
    void solverAgreesWithGeneratedGoldAndTemplatesParseGeneratedLinesAtEveryLevel() {
        ExampleGenerator g = createGenerator();
        FaithfulGenerator f = faithful();
        Random r = new Random(11);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < 100; i++) {
                Example e = g.generate(level, r);
                assertEquals(e.target(), f.solve(e.input()).orElse("unparsed"), e.input());
                for (String line : e.input().split("\n", -1)) {
                    assertTrue(f.parsesLine(line), line);
                }
            }
        }
    }

    @Test
    void defaultLevelNeverReproducesARealInput() {
        var realInputs = new HashSet<String>();
        real().forEach(e -> realInputs.add(e.input()));
        ExampleGenerator g = createGenerator();
        Random r = new Random(5);
        for (int i = 0; i < sampleSize(); i++) {
            Example e = g.generate(g.defaultLevel(), r);
            assertFalse(realInputs.contains(e.input()), e.input());
        }
    }

    @Test
    void answerLettersAreBalancedAtTheDefaultLevel() {
        var fid = Fidelity.measure(createGenerator(), real(), sampleSize(), 3);
        if (fid.generatedShares().isEmpty()) {
            assertTrue(fid.realShares().isEmpty(), "real examples are multiple choice, generated are not");
            return;
        }
        assertEquals(fid.realShares().keySet(), fid.generatedShares().keySet());
        // 3.5 standard errors of a uniform share: a fair generator fails this about once in 500 seeds.
        double p = 1.0 / fid.generatedShares().size();
        double tolerance = 3.5 * Math.sqrt(p * (1 - p) / sampleSize());
        assertTrue(fid.maxLetterImbalance() < tolerance, "letter shares " + fid.generatedShares());
    }

    @Test
    void latentStatesLieInsideTheInputAndInOrder() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(13);
        for (int level = 0; level < g.levels(); level++) {
            Example e = g.generate(level, r);
            assertFalse(e.states().isEmpty(), "no latent state at level " + level);
            int end = 0;
            for (LatentState s : e.states()) {
                assertTrue(s.start() >= end && s.end() > s.start() && s.end() <= e.input().length());
                end = s.end();
            }
        }
    }

    @Test
    void defaultLevelIsTheLastAndLevelZeroIsEasiest() {
        ExampleGenerator g = createGenerator();
        assertEquals(g.levels() - 1, g.defaultLevel());
        assertEquals(family(), g.family());
    }
}
