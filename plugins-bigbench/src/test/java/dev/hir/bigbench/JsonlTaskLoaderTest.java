package dev.hir.bigbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.testkit.TaskLoaderContract;
import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTaskLoaderTest extends TaskLoaderContract {
    private final JsonlTaskLoaderFactory factory = new JsonlTaskLoaderFactory();

    @Override
    protected TaskLoaderFactory<?> factory() {
        return factory;
    }

    @Override
    protected TaskLoader createLoader() {
        return factory.create(JsonlTaskLoaderFactory.Config.of(TestData.resource("own-task.jsonl").toString()),
                TestingPluginContext.create());
    }

    private List<Example> all() {
        var c = new JsonlTaskLoaderFactory.Config(TestData.resource("own-task.jsonl").toString(), null, "all-test", null, null);
        return factory.create(c, TestingPluginContext.create()).load().test();
    }

    @Test
    void optionsAreRenderedAndTextTargetsBecomeLetters() {
        List<Example> all = all();
        assertEquals(6, all.size(), "blank lines are skipped");
        Example fruit = all.get(1);
        assertEquals("Which is a fruit?\nOptions:\n(A) stone\n(B) apple\n(C) chair", fruit.input());
        assertEquals("(B)", fruit.target());
        assertEquals("(B)", all.get(2).target());
    }

    @Test
    void inputsThatAlreadyListTheirOptionsAreKept() {
        assertEquals("Is the sky green?\nOptions:\n(A) yes\n(B) no", all().get(4).input());
    }

    @Test
    void idsCountFileLinesAndTheTaskIsNamedAfterTheFile() {
        assertEquals("own-task/5", all().get(4).id());
        assertEquals("own-task", createLoader().load().name());
    }

    @Test
    void badLinesNameFileLineAndField(@TempDir Path dir) {
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"b\"}", "{\"input\": \"a\"}"), ":2", "'target'");
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"b\"}", "", "{not json"), ":3", "not valid JSON");
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"b\", \"answer\": \"c\"}"), ":1", "'answer'");
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"d\", \"options\": [\"b\", \"c\"]}"), ":1", "'target'");
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"(C)\", \"options\": [\"b\", \"c\"]}"), ":1", "(C)");
        assertError(dir, List.of("{\"input\": 3, \"target\": \"b\"}"), ":1", "'input'");
        assertError(dir, List.of("{\"input\": \"a\", \"target\": \"b\", \"options\": \"b\"}"), ":1", "'options'");
    }

    private void assertError(Path dir, List<String> lines, String line, String field) {
        Path f = TestData.write(dir, "t.jsonl", lines);
        var e = assertThrows(InvalidInputException.class,
                () -> factory.create(JsonlTaskLoaderFactory.Config.of(f.toString()), TestingPluginContext.create()).load());
        assertEquals(f + line, e.source());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) {
        Path f = TestData.write(dir, "t.jsonl", List.of("", " "));
        var e = assertThrows(InvalidInputException.class,
                () -> factory.create(JsonlTaskLoaderFactory.Config.of(f.toString()), TestingPluginContext.create()).load());
        assertEquals(f.toString(), e.source());
    }
}
