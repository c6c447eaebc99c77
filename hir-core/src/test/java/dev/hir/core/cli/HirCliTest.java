package dev.hir.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HirCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int hir(String... args) {
        return new HirCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A user mistake: exit 2, exactly one line on stderr, no stack trace. */
    private void assertUserError(int status, String expected) {
        assertEquals(2, status, stderr());
        String e = stderr();
        assertEquals(1, e.strip().lines().count(), "one line: " + e);
        assertFalse(e.contains("\tat "), "no stack trace: " + e);
        assertTrue(e.contains(expected), "expected '" + expected + "' in: " + e);
    }

    @Test
    void versionPrintsTheVersion() {
        assertEquals(0, hir("--version"));
        assertTrue(stdout().startsWith("hir 0.1"), stdout());
    }

    @Test
    void noArgumentsPrintsUsageAndFails() {
        assertEquals(2, hir());
        assertTrue(stdout().contains("commands:"));
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, hir("--help"));
        for (String c : new String[] {"run", "eval", "tasks", "plugins"}) {
            assertTrue(stdout().contains("  " + c + " "), c);
        }
    }

    @Test
    void eachCommandHasHelp() {
        for (String c : new String[] {"run", "eval", "tasks", "plugins"}) {
            assertEquals(0, hir(c, "--help"), c);
        }
        assertTrue(stdout().contains("--checkpoint"));
        assertTrue(stdout().contains("--resume"));
    }

    @Test
    void unknownCommandIsAUserError() {
        assertUserError(hir("train"), "unknown command 'train'");
    }

    @Test
    void unknownOptionIsAUserError() {
        assertUserError(hir("run", "--confgi", "x.yaml"), "--confgi");
    }

    @Test
    void missingRequiredOptionIsAUserError() {
        assertUserError(hir("eval", "--task", "word_sorting"), "checkpoint");
    }

    @Test
    void missingConfigFileIsNamed(@TempDir Path dir) {
        assertUserError(hir("run", "--config", dir.resolve("nope.yaml").toString()), "nope.yaml: no such file");
    }

    @Test
    void invalidConfigValueIsNamedWithFileAndField(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "task: {type: t}\nfeedback: f\npolicy: p\nsampling: {temperature: 0}\n");
        assertUserError(hir("run", "--config", cfg.toString(), "--out", dir.resolve("out").toString()),
                "run.yaml: sampling.temperature: must be > 0");
    }

    @Test
    void unknownPluginIsNamedWithTheInstalledOnes(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "task: {type: no-such-loader}\nfeedback: f\npolicy: p\n");
        assertUserError(hir("run", "--config", cfg.toString(), "--out", dir.resolve("out").toString()),
                "task.type: unknown task plugin 'no-such-loader'");
    }

    @Test
    void unknownTaskForEvalIsAUserError() {
        assertUserError(hir("eval", "--task", "no_such_task", "--checkpoint", "x"), "unknown task 'no_such_task'");
    }

    @Test
    void evalRejectsAnEmptyTaskListAndAnUnknownLoaderForAll() {
        assertUserError(hir("eval", "--task", " , ", "--checkpoint", "x"), "--task: no task named");
        err.reset();
        assertUserError(hir("eval", "--task", "no-such-loader:all", "--checkpoint", "x"), "no task loader 'no-such-loader'");
    }

    @Test
    void pretrainNeedsExactlyOneOfConfigAndPreset() {
        assertUserError(hir("pretrain"), "give either --config FILE or --preset NAME");
        err.reset();
        assertUserError(hir("pretrain", "--config", "a.yaml", "--preset", "b"), "give either --config FILE or --preset NAME");
    }

    @Test
    void pretrainPresetIsLookedUpInTheModelsFolder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("presets"));
        Files.writeString(dir.resolve("presets/tiny.yaml"), "policy: {type: p}\nfamilies: []\n");
        String before = System.getProperty(PretrainCommand.MODELS_DIR_PROPERTY);
        System.setProperty(PretrainCommand.MODELS_DIR_PROPERTY, dir.toString());
        try {
            assertUserError(hir("pretrain", "--preset", "huge"), "no preset 'huge'");
            assertTrue(stderr().contains("[tiny]"), stderr());
            err.reset();
            // The preset file is found and read: its own mistake is reported with its name.
            assertUserError(hir("pretrain", "--preset", "tiny", "--out", dir.resolve("out").toString()), "tiny.yaml: families");
        } finally {
            if (before == null) {
                System.clearProperty(PretrainCommand.MODELS_DIR_PROPERTY);
            } else {
                System.setProperty(PretrainCommand.MODELS_DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void pluginsListsTheCoresRelabelingStrategies() {
        assertEquals(0, hir("plugins"));
        assertTrue(stdout().contains("relabeling:"));
        assertTrue(stdout().contains("hindsight-binary"));
    }

    @Test
    void tasksSucceedsWithWhateverIsInstalled() {
        assertEquals(0, hir("tasks"));
    }
}
