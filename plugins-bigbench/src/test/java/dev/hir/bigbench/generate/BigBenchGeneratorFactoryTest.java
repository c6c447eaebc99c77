package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.InvalidInputException;
import dev.hir.bigbench.BbhFiles;
import dev.hir.testkit.TestingPluginContext;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BigBenchGeneratorFactoryTest {
    private final BigBenchGeneratorFactory factory = new BigBenchGeneratorFactory();

    private ExampleGenerator create(String family) {
        return factory.create(new BigBenchGeneratorFactory.Config(family, null, null,
                FamilyGeneratorTest.bbhDir().toString(), null), TestingPluginContext.create());
    }

    @Test
    void servesTheTwelveBbhFamilies() {
        assertEquals(12, factory.families().size());
        assertEquals(new HashSet<>(BbhFiles.taskNames(FamilyGeneratorTest.bbhDir())), new HashSet<>(factory.families()));
    }

    @Test
    void everyFamilyGeneratesAtEveryLevelAndNeverARealInputAtTheDefault() {
        for (String family : factory.families()) {
            ExampleGenerator g = create(family);
            assertEquals(family, g.family());
            var real = new HashSet<String>();
            BbhFiles.read(FamilyGeneratorTest.bbhDir().resolve(family + ".json"), family).forEach(e -> real.add(e.input()));
            Random r = new Random(1);
            for (int level = 0; level < g.levels(); level++) {
                Example e = g.generate(level, r);
                assertFalse(e.input().isBlank(), family);
            }
            for (int i = 0; i < 200; i++) {
                assertFalse(real.contains(g.generate(g.defaultLevel(), r).input()), family);
            }
        }
    }

    @Test
    void unknownFamilyIsRejectedNamingTheField() {
        assertEquals("family", assertThrows(InvalidInputException.class, () -> factory.configFor("chess")).source());
        assertEquals("family", assertThrows(InvalidInputException.class,
                () -> BigBenchGeneratorFactory.Config.of("")).source());
        assertEquals("scenarios", assertThrows(InvalidInputException.class,
                () -> new BigBenchGeneratorFactory.Config("word_sorting", List.of("books"), null, null, null)).source());
    }

    @Test
    void realInputsAreExcludedUnlessTurnedOff() {
        var on = create("tracking_shuffled_objects_three_objects");
        var off = factory.create(new BigBenchGeneratorFactory.Config("tracking_shuffled_objects_three_objects", null, null,
                FamilyGeneratorTest.bbhDir().toString(), false), TestingPluginContext.create());
        assertFalse(on instanceof FaithfulGenerator);
        assertEquals(true, off instanceof FaithfulGenerator);
    }
}
