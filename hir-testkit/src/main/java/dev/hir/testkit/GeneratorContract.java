package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.GeneratorFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contract every {@link ExampleGenerator} plugin passes. */
public abstract class GeneratorContract {

    /** The plugin's factory. */
    protected abstract GeneratorFactory<?> factory();

    /** A generator created from a typical configuration. */
    protected abstract ExampleGenerator createGenerator();

    @Test
    void factoryIsWellFormedAndDiscoverable() {
        PluginFactoryChecks.checkShape(factory());
        PluginFactoryChecks.checkDiscoverable(GeneratorFactory.class, factory());
    }

    @Test
    void levelsAreConsistent() {
        var g = createGenerator();
        assertTrue(g.levels() >= 1);
        assertTrue(g.defaultLevel() >= 0 && g.defaultLevel() < g.levels());
        assertThrows(IllegalArgumentException.class, () -> g.generate(g.levels(), new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> g.generate(-1, new Random(0)));
    }

    @Test
    void sameSeedGivesSameExamplesAtEveryLevel() {
        var g = createGenerator();
        for (int level = 0; level < g.levels(); level++) {
            Random a = new Random(42);
            Random b = new Random(42);
            for (int i = 0; i < 20; i++) {
                assertEquals(g.generate(level, a), g.generate(level, b));
            }
        }
    }

    @Test
    void examplesCarryInputTargetAndValidLetter() {
        var g = createGenerator();
        Random r = new Random(7);
        for (int level = 0; level < g.levels(); level++) {
            for (int i = 0; i < 50; i++) {
                Example e = g.generate(level, r);
                assertFalse(e.input().isBlank());
                assertFalse(e.target().isBlank());
                if (e.isMultipleChoice()) {
                    assertTrue(e.goldOptionIndex().isPresent(), "not a letter among the options: " + e.target());
                }
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentExamples() {
        var g = createGenerator();
        int level = g.defaultLevel();
        var seen = new java.util.HashSet<String>();
        Random r = new Random(1);
        for (int i = 0; i < 50; i++) {
            seen.add(g.generate(level, r).input());
        }
        assertTrue(seen.size() > 25, "generator repeats itself: " + seen.size() + " distinct of 50");
    }
}
