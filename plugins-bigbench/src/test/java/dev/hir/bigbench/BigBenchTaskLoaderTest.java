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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BigBenchTaskLoaderTest extends TaskLoaderContract {
    private final BigBenchTaskLoaderFactory factory = new BigBenchTaskLoaderFactory();

    @Override
    protected TaskLoaderFactory<?> factory() {
        return factory;
    }

    @Override
    protected TaskLoader createLoader() {
        return factory.create(BigBenchTaskLoaderFactory.Config.of(TestData.resource("sample_task/task.json").toString()),
                TestingPluginContext.create());
    }

    private List<Example> all(Integer listTargetIndex) {
        var c = new BigBenchTaskLoaderFactory.Config(TestData.resource("sample_task/task.json").toString(), null,
                "all-test", null, null, listTargetIndex);
        return factory.create(c, TestingPluginContext.create()).load().test();
    }

    @Test
    void multipleChoiceIsRenderedAsTheReferenceCodeRendersIt() {
        Example e = all(null).get(0);
        assertEquals("Answer the question.\nQuestion: Which planet is closest to the sun?\nOptions:\n(A) Venus\n(B) Mercury\n(C) Mars",
                e.input());
        assertEquals("(B)", e.target());
        assertEquals(List.of("Venus", "Mercury", "Mars"), e.options());
    }

    @Test
    void multipleChoiceInputsLoseTheirBlankLines() {
        // The reference code deletes "\n\n" in multiple-choice inputs (it turns it into "\n" elsewhere).
        assertTrue(all(null).get(1).input().startsWith("Answer the question.\nQuestion: Which number is even?Pick one.\nOptions:"));
    }

    @Test
    void freeAnswerKeepsItsTargetAndHalvesBlankLines() {
        Example e = all(null).get(6);
        assertEquals("Answer the question.\nQuestion: Spell the number after two.\nUse lower case.", e.input());
        assertTrue(e.options().isEmpty());
        assertEquals("8", all(null).get(5).target());
    }

    @Test
    void listTargetsUseTheSecondElementByDefaultAndTheConfiguredOneOtherwise() {
        assertEquals("three", all(null).get(6).target());
        assertEquals("paris", all(null).get(7).target());
        assertEquals("3", all(0).get(6).target());
    }

    @Test
    void taskIsNamedAfterItsFolderAndSplitLikeTheReference() {
        Task t = createLoader().load();
        assertEquals("sample_task", t.name());
        int[] perm = TestData.numpyPermutation(1, 10);
        var order = new ArrayList<String>();
        t.train().forEach(e -> order.add(e.id()));
        t.test().forEach(e -> order.add(e.id()));
        for (int i = 0; i < 10; i++) {
            assertEquals("sample_task/" + perm[i], order.get(i));
        }
        assertEquals(8, t.train().size());
    }

    @Test
    void optionsWithoutACorrectOneAreRejected(@TempDir Path dir) {
        Path f = TestData.write(dir, "task.json", List.of("{\"examples\": [",
                "{\"input\": \"q\", \"target_scores\": {\"a\": 0, \"b\": 0.5}}", "]}"));
        var e = assertThrows(InvalidInputException.class, () -> load(f));
        assertEquals(f + ":2", e.source());
        assertTrue(e.getMessage().startsWith("examples[0]: no option"), e.getMessage());
    }

    @Test
    void exampleWithoutTargetIsRejected(@TempDir Path dir) {
        Path f = TestData.write(dir, "task.json", List.of("{\"examples\": [", "{\"input\": \"q\", \"target\": \"a\"},",
                "{\"input\": \"r\"}", "]}"));
        var e = assertThrows(InvalidInputException.class, () -> load(f));
        assertEquals(f + ":3", e.source());
        assertTrue(e.getMessage().contains("examples[1]") && e.getMessage().contains("target"));
    }

    @Test
    void listTargetShorterThanTheIndexIsRejected(@TempDir Path dir) {
        Path f = TestData.write(dir, "task.json", List.of("{\"examples\": [{\"input\": \"q\", \"target\": [\"a\"]}]}"));
        var e = assertThrows(InvalidInputException.class, () -> load(f));
        assertEquals(f + ":1", e.source());
        assertTrue(e.getMessage().contains("listTargetIndex"));
    }

    @Test
    void notJsonAndMissingFilesAreReportedOnTheFile(@TempDir Path dir) {
        Path f = TestData.write(dir, "task.json", List.of("this is not json"));
        assertEquals(f + ":1", assertThrows(InvalidInputException.class, () -> load(f)).source());
        Path none = dir.resolve("none.json");
        assertEquals(none.toString(), assertThrows(InvalidInputException.class, () -> load(none)).source());
    }

    @Test
    void pathIsRequired() {
        assertEquals("path", assertThrows(InvalidInputException.class,
                () -> new BigBenchTaskLoaderFactory.Config(null, null, null, null, null, null)).source());
    }

    private Task load(Path file) {
        return factory.create(BigBenchTaskLoaderFactory.Config.of(file.toString()), TestingPluginContext.create()).load();
    }
}
