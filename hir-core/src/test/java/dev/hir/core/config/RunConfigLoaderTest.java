package dev.hir.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigLoaderTest {
    private static final String MINIMAL = "task: {type: t}\nfeedback: exact-match\npolicy: {type: p, lr: 1}\n";

    private static RunConfig parse(String yaml) {
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "run.yaml");
    }

    private static InvalidInputException error(String yaml) {
        return assertThrows(InvalidInputException.class, () -> parse(yaml));
    }

    @Test
    void defaultsAreThePapers() {
        RunConfig c = parse(MINIMAL);
        assertEquals(RunConfig.Algorithm.HIR, c.algorithm());
        assertEquals(4, c.sampling().samplesPerQuery());
        assertEquals(1.0, c.sampling().temperature());
        assertEquals(256, c.sampling().maxNewTokens());
        assertTrue(c.sampling().deduplicate());
        assertEquals(10, c.training().epochs());
        assertEquals(64, c.training().batchSize());
        assertEquals(Objective.Hir.paper(), c.objective());
        assertEquals(4.0, c.buffer().capFactor());
        assertEquals("Solve the question with correct answer.", c.instructions().sampling());
        assertEquals("hindsight-binary", c.relabeling().get(0).type());
        assertEquals("exact-match", c.feedback().type());
        assertEquals(1, c.policy().settings().get("lr").asInt(), "plugin settings are kept untyped for the plugin");
        assertTrue(c.rollout().isEmpty());
    }

    @Test
    void promptFollowsTheReferenceFormat() {
        assertEquals("Solve the question with correct answer.\n\nQ: 2+2?\nA:",
                parse(MINIMAL).instructions().prompt("Solve the question with correct answer.", "2+2?"));
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheKnownKeys() {
        var e = error(MINIMAL + "sampling: {temperatur: 0.7}\n");
        assertEquals("run.yaml: sampling", e.source());
        assertTrue(e.getMessage().contains("unknown key 'temperatur'"), e.getMessage());
        assertTrue(e.getMessage().contains("temperature"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void invalidValueNamesTheFieldAndValue() {
        var e = error(MINIMAL + "sampling: {temperature: -1}\n");
        assertEquals("run.yaml: sampling.temperature", e.source());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheField() {
        var e = error(MINIMAL + "training: {epochs: many}\n");
        assertEquals("run.yaml: training.epochs", e.source());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        var e = error(MINIMAL + "algorithm: ppo\n");
        assertEquals("run.yaml: algorithm", e.source());
        assertTrue(e.getMessage().contains("hir"), e.getMessage());
    }

    @Test
    void missingSectionsAreNamed() {
        assertEquals("run.yaml: task", error("feedback: x\npolicy: y\n").source());
        assertEquals("run.yaml: relabeling[1].type", error(MINIMAL + "relabeling: [{type: a}, {weight: 1}]\n").source());
    }

    @Test
    void syntaxErrorNamesTheLine() {
        var e = error("task: {type: t\nfeedback: [\n");
        assertTrue(e.source().startsWith("run.yaml:"), e.source());
        assertTrue(e.source().matches("run\\.yaml:\\d+:\\d+"), e.source());
    }

    @Test
    void emptyOrScalarFilesAreRejected() {
        assertEquals("run.yaml", error("").source());
        assertEquals("run.yaml", error("just text").source());
    }

    @Test
    void jsonIsAccepted(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("run.json");
        Files.writeString(f, "{\"task\": {\"type\": \"t\"}, \"feedback\": \"f\", \"policy\": \"p\", \"iterations\": 3}");
        assertEquals(3, RunConfigLoader.load(f).iterations());
    }

    @Test
    void missingFileIsAUserError(@TempDir Path dir) {
        var e = assertThrows(InvalidInputException.class, () -> RunConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.source().endsWith("nope.yaml"));
    }

    @Test
    void resolvedConfigRoundTripsThroughJson() throws Exception {
        RunConfig c = parse(MINIMAL + "rollout: {type: onnxruntime}\nsampling: {stop_strings: ['\\n', 'Q:']}\n");
        String json = ConfigBinder.mapper().writeValueAsString(c);
        RunConfig back = RunConfigLoader.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
        assertEquals(c, back);
    }
}
