package dev.hir.bigbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.testkit.TaskLoaderContract;
import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BigBenchHardLoaderTest extends TaskLoaderContract {
    private final BigBenchHardLoaderFactory factory = new BigBenchHardLoaderFactory();

    @Override
    protected TaskLoaderFactory<?> factory() {
        return factory;
    }

    @Override
    protected TaskLoader createLoader() {
        return load("tracking_shuffled_objects_three_objects", null, null);
    }

    private TaskLoader load(String task, String split, Long seed) {
        return factory.create(new BigBenchHardLoaderFactory.Config(task, TestData.bbhDir().toString(), split, null, seed),
                new TestingPluginContext(2L, Path.of("").toAbsolutePath()));
    }

    private static int index(Example e) {
        return Integer.parseInt(e.id().substring(e.id().lastIndexOf('/') + 1));
    }

    @Test
    void splitIsTheReferenceCodesNumpyPermutation() {
        Task t = createLoader().load();
        int[] perm = TestData.numpyPermutation(1, 250);
        assertEquals(200, t.train().size());
        assertEquals(50, t.test().size());
        for (int i = 0; i < 200; i++) {
            assertEquals(perm[i], index(t.train().get(i)));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(perm[200 + i], index(t.test().get(i)));
        }
    }

    @Test
    void penguinsSplitTruncatesEightyPercentAsPythonsInt() {
        Task t = load("penguins_in_a_table", null, null).load();
        int[] perm = TestData.numpyPermutation(1, 146);
        assertEquals(116, t.train().size());
        assertEquals(perm[116], index(t.test().get(0)));
    }

    @Test
    void runSeedSplitFollowsTheRunSeed() {
        Task t = load("word_sorting", "run-seed", null).load();
        int[] perm = TestData.numpyPermutation(2, 250);
        assertEquals(perm[0], index(t.train().get(0)));
        assertEquals(perm[249], index(t.test().get(49)));
    }

    @Test
    void allTestPutsEveryExampleInTestInFileOrder() {
        Task t = load("word_sorting", "all-test", null).load();
        assertTrue(t.train().isEmpty());
        assertEquals(250, t.test().size());
        assertEquals(0, index(t.test().get(0)));
    }

    @Test
    void knownTasksAreTheTwelveBbhFiles() {
        List<String> known = factory.knownTasks();
        assertEquals(12, known.size(), known.toString());
        assertTrue(known.contains("logical_deduction_seven_objects"));
        assertEquals("date_understanding", factory.configFor("date_understanding").task());
        assertThrows(InvalidInputException.class, () -> factory.configFor("chess"));
    }

    @Test
    void multipleChoiceInputsKeepTheirOptionLinesAndExposeTheOptions() {
        Example e = load("logical_deduction_five_objects", "all-test", null).load().test().get(0);
        assertEquals(5, e.options().size());
        assertTrue(e.input().endsWith("\nOptions:\n(A) " + e.options().get(0) + "\n(B) " + e.options().get(1)
                + "\n(C) " + e.options().get(2) + "\n(D) " + e.options().get(3) + "\n(E) " + e.options().get(4)));
        assertTrue(e.target().matches("\\([A-E]\\)"));
    }

    @Test
    void freeAnswerTasksHaveNoOptions() {
        Task t = load("object_counting", "all-test", null).load();
        assertTrue(t.test().stream().noneMatch(Example::isMultipleChoice));
        assertTrue(t.test().stream().allMatch(e -> e.target().matches("\\d+")));
    }

    @Test
    void notJsonNamesFileAndLine(@TempDir Path dir) {
        TestData.write(dir, "broken.json", List.of("{\"examples\": [", "  {\"input\": \"x\", \"target\": }", "]}"));
        var e = assertThrows(InvalidInputException.class, () -> loadFrom(dir, "broken"));
        assertEquals(dir.resolve("broken.json") + ":2", e.source());
    }

    @Test
    void missingExamplesNamesTheFile(@TempDir Path dir) {
        TestData.write(dir, "empty.json", List.of("{\"canary\": \"x\"}"));
        var e = assertThrows(InvalidInputException.class, () -> loadFrom(dir, "empty"));
        assertEquals(dir.resolve("empty.json").toString(), e.source());
        assertTrue(e.getMessage().contains("examples"));
    }

    @Test
    void exampleWithoutTargetNamesLineAndIndex(@TempDir Path dir) {
        TestData.write(dir, "t.json", List.of("{\"examples\": [", "  {\"input\": \"a\", \"target\": \"b\"},",
                "  {\"input\": \"c\"}", "]}"));
        var e = assertThrows(InvalidInputException.class, () -> loadFrom(dir, "t"));
        assertEquals(dir.resolve("t.json") + ":3", e.source());
        assertTrue(e.getMessage().startsWith("examples[1]: missing 'target'"), e.getMessage());
    }

    @Test
    void targetLetterPastTheOptionsIsRejected(@TempDir Path dir) {
        TestData.write(dir, "t.json", List.of("{\"examples\": [",
                "  {\"input\": \"q\\nOptions:\\n(A) x\\n(B) y\", \"target\": \"(C)\"}", "]}"));
        var e = assertThrows(InvalidInputException.class, () -> loadFrom(dir, "t"));
        assertEquals(dir.resolve("t.json") + ":2", e.source());
    }

    @Test
    void invalidSplitSettingsNameTheField() {
        assertEquals("trainShare", assertThrows(InvalidInputException.class,
                () -> new BigBenchHardLoaderFactory.Config("x", null, null, 1.5, null)).source());
        assertEquals("split", assertThrows(InvalidInputException.class,
                () -> new BigBenchHardLoaderFactory.Config("x", null, "random", null, null)).source());
        assertEquals("task", assertThrows(InvalidInputException.class,
                () -> new BigBenchHardLoaderFactory.Config(null, null, null, null, null)).source());
    }

    private Task loadFrom(Path dir, String task) {
        return factory.create(new BigBenchHardLoaderFactory.Config(task, dir.toString(), null, null, null),
                TestingPluginContext.create()).load();
    }
}
