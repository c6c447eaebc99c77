package dev.hir.bigbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.testkit.TaskLoaderContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class GeneratedTaskLoaderTest extends TaskLoaderContract {
    private static final String FAMILY = "tracking_shuffled_objects_three_objects";
    private final GeneratedTaskLoaderFactory factory = new GeneratedTaskLoaderFactory();

    @Override
    protected TaskLoaderFactory<?> factory() {
        return factory;
    }

    @Override
    protected TaskLoader createLoader() {
        return create(new GeneratedTaskLoaderFactory.Config(FAMILY, null, 300, 1L, null, TestData.bbhDir().toString(), null));
    }

    private TaskLoader create(GeneratedTaskLoaderFactory.Config c) {
        return factory.create(c, TestingPluginContext.create());
    }

    @Test
    void trainIsGeneratedAndNeverARealInputAndTestIsEveryRealExample() {
        Task t = createLoader().load();
        assertEquals(300, t.train().size());
        assertEquals(250, t.test().size());
        var real = new HashSet<String>();
        t.test().forEach(e -> real.add(e.input()));
        for (Example e : t.train()) {
            assertFalse(real.contains(e.input()));
            assertEquals("generator", e.metadata().get("source"));
            assertFalse(e.states().isEmpty());
        }
    }

    @Test
    void splitTestIsTheReferenceTwentyPercent() {
        Task t = create(new GeneratedTaskLoaderFactory.Config(FAMILY, 0, 10, 1L, "split", TestData.bbhDir().toString(), null)).load();
        Task reference = new BigBenchHardLoaderFactory().create(
                new BigBenchHardLoaderFactory.Config(FAMILY, TestData.bbhDir().toString(), null, null, null),
                TestingPluginContext.create()).load();
        assertEquals(reference.test(), t.test());
        assertTrue(t.train().stream().allMatch(e -> e.metadata().get("level").equals("0")));
    }

    @Test
    void seedDefaultsToTheRunSeed() {
        var c = new GeneratedTaskLoaderFactory.Config(FAMILY, null, 5, null, null, TestData.bbhDir().toString(), null);
        var a = factory.create(c, new TestingPluginContext(1L, java.nio.file.Path.of(""))).load();
        var b = factory.create(c, new TestingPluginContext(2L, java.nio.file.Path.of(""))).load();
        assertFalse(a.train().equals(b.train()));
    }

    @Test
    void knowsTheFamiliesWithGeneratorsAndRejectsBadSettings() {
        assertTrue(factory.knownTasks().isEmpty(), "named tasks belong to bigbench-hard, whose names these would shadow");
        assertEquals("family", assertThrows(InvalidInputException.class,
                () -> GeneratedTaskLoaderFactory.Config.of("chess")).source());
        assertEquals("test", assertThrows(InvalidInputException.class,
                () -> new GeneratedTaskLoaderFactory.Config(FAMILY, null, null, null, "some", null, null)).source());
        assertEquals("level", assertThrows(InvalidInputException.class,
                () -> create(new GeneratedTaskLoaderFactory.Config(FAMILY, 9, null, null, null, null, null))).source());
    }

    @Test
    void aGeneratedTestSplitIsHeldOutFromTrainingAndRealInputs() {
        Task t = create(new GeneratedTaskLoaderFactory.Config(FAMILY, 2, 200, 1L, "generated", TestData.bbhDir().toString(), 60)).load();
        assertEquals(60, t.test().size());
        var trainInputs = new java.util.HashSet<String>();
        t.train().forEach(e -> trainInputs.add(e.input()));
        var realInputs = new java.util.HashSet<String>();
        BbhFiles.read(TestData.bbhDir().resolve(FAMILY + ".json"), FAMILY).forEach(e -> realInputs.add(e.input()));
        for (var e : t.test()) {
            assertFalse(trainInputs.contains(e.input()), "held-out example also in training: " + e.id());
            assertFalse(realInputs.contains(e.input()), "held-out example equals a real one: " + e.id());
        }
        assertEquals(60, t.test().stream().map(dev.hir.api.Example::input).distinct().count());
    }
}
