package dev.hir.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.InvalidInputException;
import dev.hir.core.buffer.ReplayBuffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HirRunTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static void run(Path out, String algorithm, int iterations, boolean resume) {
        new HirRun(RunFixtures.config(algorithm, iterations), out.getParent(), out, resume, QUIET, false,
                new TestRunModule(0)).run();
    }

    private static List<JsonNode> metrics(Path out) {
        return RunFixtures.metrics(out);
    }

    private static List<JsonNode> deterministicMetrics(Path out) {
        return RunFixtures.deterministicMetrics(out);
    }

    @Test
    void answersLongerThanTheOutputLimitAreNamedBeforeTheRunStarts(@TempDir Path tmp) {
        var out = new ByteArrayOutputStream();
        // The test policy's tokens are characters, and every answer has at least two.
        new HirRun(RunFixtures.config("hir", 1, 1), tmp, tmp.resolve("out"), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), false, new TestRunModule(0)).run();
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("warning: sampling on ") && said.contains("raise sampling.max_new_tokens"), said);
        assertTrue(said.contains("warning: evaluation on ") && said.contains("reference answers are longer than max_new_tokens 1"), said);

        var fits = new ByteArrayOutputStream();
        new HirRun(RunFixtures.config("hir", 1), tmp, tmp.resolve("fits"), false,
                new PrintStream(fits, true, StandardCharsets.UTF_8), false, new TestRunModule(0)).run();
        assertFalse(fits.toString(StandardCharsets.UTF_8).contains("warning:"));
    }

    @Test
    void hirRaisesHeldOutAccuracyAndWritesTheWholeRunFolder(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        run(out, "hir", 4, false);

        List<JsonNode> lines = metrics(out);
        assertEquals(5, lines.size(), "iteration 0 plus 4 iterations");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = lines.get(i);
            assertEquals(i, l.get("iteration").asInt());
            for (String key : List.of("iteration", "algorithm", "task", "eval_accuracy", "seconds", "phase_seconds", "peak_memory_mb")) {
                assertTrue(l.has(key), "metrics line " + i + " lacks " + key);
            }
            if (i > 0) {
                for (String key : HirRun.REQUIRED_METRICS) {
                    assertTrue(l.has(key), "metrics line " + i + " lacks " + key);
                }
                assertTrue(l.get("train_terms").has("hir"), "loss terms are logged");
                assertTrue(l.has("pass_at_k"));
            }
        }
        double first = lines.get(0).get("eval_accuracy").asDouble();
        double last = lines.get(4).get("eval_accuracy").asDouble();
        assertTrue(last >= first + 0.3, "accuracy did not rise: " + first + " -> " + last);

        byte[] png = Files.readAllBytes(out.resolve("accuracy.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        JsonNode manifest = RunFolder.JSON.readTree(out.resolve("manifest.json").toFile());
        assertTrue(manifest.has("ended"));
        assertEquals(64, manifest.at("/data/examples_sha256").asText().length());
        assertEquals(7, manifest.at("/seeds/base").asInt());
        assertEquals(List.of(1, 2, 3, 4), new ReplayBuffer(out.resolve("buffer")).iterations());
        assertFalse(Files.exists(out.resolve("checkpoints/iter-2")), "old checkpoints are pruned");
        assertTrue(Files.exists(out.resolve("checkpoints/iter-4")));
        assertEquals(4, new RunFolder(out).completedIteration().orElseThrow());
    }

    @Test
    void sameSeedAndConfigGiveTheSameMetrics(@TempDir Path tmp) {
        run(tmp.resolve("a"), "hir", 2, false);
        run(tmp.resolve("b"), "hir", 2, false);
        assertEquals(deterministicMetrics(tmp.resolve("a")), deterministicMetrics(tmp.resolve("b")));
    }

    @Test
    void baselinesRun(@TempDir Path tmp) {
        for (String algorithm : List.of("farl", "sft", "grpo")) {
            Path out = tmp.resolve(algorithm);
            run(out, algorithm, 2, false);
            List<JsonNode> lines = metrics(out);
            assertEquals(3, lines.size(), algorithm);
            assertEquals(algorithm, lines.get(2).get("algorithm").asText());
        }
        assertTrue(metrics(tmp.resolve("sft")).get(2).get("eval_accuracy").asDouble() > 0.9,
                "SFT on gold answers learns the table");
    }

    @Test
    void anExistingRunIsNotOverwrittenWithoutResume(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        run(out, "hir", 1, false);
        var e = assertThrows(InvalidInputException.class, () -> run(out, "hir", 1, false));
        assertTrue(e.getMessage().contains("--resume"));
    }

    @Test
    void resumeWithAnotherConfigIsRefused(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        run(out, "hir", 1, false);
        assertThrows(InvalidInputException.class, () -> run(out, "farl", 1, true));
    }

    @Test
    void resumingACompletedPrefixEndsLikeAnUninterruptedRun(@TempDir Path tmp) {
        run(tmp.resolve("full"), "hir", 3, false);
        Path out = tmp.resolve("resumed");
        run(out, "hir", 1, false);
        // Simulate a crash after iteration 2 wrote its buffer segment but before it completed.
        var buffer = new ReplayBuffer(out.resolve("buffer"));
        try (var w = buffer.open(2)) {
            w.commit();
        }
        var resumed = new HirRun(RunFixtures.config("hir", 3), tmp, out, true, QUIET, false, new TestRunModule(0));
        assertThrows(InvalidInputException.class, () -> run(out, "hir", 3, false));
        resumed.run();
        assertEquals(deterministicMetrics(tmp.resolve("full")), deterministicMetrics(out));
    }

    @Test
    void aRunKilledWithSigkillAndResumedEndsWithTheSameMetrics(@TempDir Path tmp) throws Exception {
        int iterations = 4;
        run(tmp.resolve("full"), "hir", iterations, false);
        Path out = tmp.resolve("killed");
        // Kill twice, at different points, then let it finish.
        for (int kill = 0; kill < 2; kill++) {
            Process child = child(out, iterations, kill > 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int target = kill + 2;
            while (metrics(out).size() < target && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(37L * (kill + 1)); // land somewhere inside the next iteration
            child.destroyForcibly().waitFor();
        }
        Process last = child(out, iterations, true);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "resumed child did not finish");
        assertEquals(0, last.exitValue(), new String(last.getErrorStream().readAllBytes()));
        assertEquals(deterministicMetrics(tmp.resolve("full")), deterministicMetrics(out));
    }

    private static Process child(Path out, int iterations, boolean resume) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ResumeChild.class.getName(),
                out.toString(), String.valueOf(iterations), String.valueOf(resume), "15");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }
}
