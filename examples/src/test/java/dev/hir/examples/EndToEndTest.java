package dev.hir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hir.core.cli.HirCli;
import dev.hir.pytorch.tokenizer.BpeTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `hir run` and `hir eval` through the CLI with every real plugin: a tiny fresh GPT on DJL's PyTorch
 * engine, generated tracking-shuffled-objects queries, the real BBH examples as the held-out split,
 * multiple-choice feedback, hindsight relabeling with sub-outputs. It checks the wiring and the files, not
 * learning (a tiny fresh model learns nothing in two iterations).
 */
class EndToEndTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void tokenizer() throws Exception {
        var corpus = new ArrayList<String>();
        for (var f : List.of("tracking_shuffled_objects_three_objects.json")) {
            JsonNode root = new ObjectMapper().readTree(bbh().resolve(f).toFile());
            root.get("examples").forEach(e -> corpus.add(
                    "Solve the question with correct answer.\n\nQ: " + e.get("input").asText() + "\nA: " + e.get("target").asText()));
        }
        new BpeTrainer(BpeTrainer.Config.ofVocabSize(400)).train(corpus).vocabulary()
                .writeTokenizerJson(dir.resolve("tokenizer.json"));
    }

    static Path bbh() {
        return Path.of(System.getProperty("bbh.dir", "../../shared/data/bbh"));
    }

    private static String config(String extra) {
        return """
                seed: 3
                iterations: 2
                compute_threads: 1
                task: {type: bigbench-generated, family: tracking_shuffled_objects_three_objects, count: 8, test: split}
                feedback: multiple-choice
                policy:
                  type: pytorch
                  tokenizer: tokenizer.json
                  init: {n_layer: 1, n_embd: 32, n_head: 2, n_positions: 256}
                relabeling: [{type: hindsight-binary}, {type: hindsight-subgoal, variant: reference}]
                sampling: {samples_per_query: 2, max_new_tokens: 4, batch_size: 8}
                training: {epochs: 1, batch_size: 16, smoothing: answer_tokens}
                evaluation: {max_new_tokens: 4, limit: 6, pass_at_k: 2}
                """ + extra;
    }

    private record Result(int status, String out, String err) {}

    private static Result hir(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = HirCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hirRunWithRealPluginsWritesTheRunFolderAndItsCheckpointEvaluates() throws Exception {
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, config(""));
        Path out = dir.resolve("out");
        Result r = hir("run", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("iteration 2:"), r.out());
        assertTrue(r.out().contains("metrics: " + out.resolve("metrics.jsonl")) && r.out().contains("plot:    " + out.resolve("accuracy.png")),
                "the run says where its metrics and plot are: " + r.out());

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        JsonNode last = new ObjectMapper().readTree(lines.get(2));
        assertEquals(6, last.get("eval_examples").asInt());
        assertTrue(last.get("samples").asInt() == 16, "8 queries x 2 samples");
        assertTrue(last.get("train_steps").asInt() >= 1);
        assertTrue(last.get("train_terms").has("contrastive"), last.toString());
        assertTrue(Files.exists(out.resolve("accuracy.png")));
        Path checkpoint = out.resolve("checkpoints/iter-2");
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.exists(checkpoint.resolve(f)), f);
        }

        Result eval = hir("eval", "--checkpoint", checkpoint.toString(), "--task", "tracking_shuffled_objects_three_objects",
                "--limit", "5", "--max-new-tokens", "4", "--feedback", "multiple-choice");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("(") && eval.out().contains("/5 correct"), eval.out());

        // Sorted word lists take more than two tokens: the limit, not the model, would decide the score.
        Result cut = hir("eval", "--checkpoint", checkpoint.toString(), "--task", "word_sorting", "--limit", "5",
                "--max-new-tokens", "2");
        assertEquals(0, cut.status(), cut.err());
        assertTrue(cut.err().contains("warning: task word_sorting: 5 of 5 reference answers are longer than max_new_tokens 2"),
                cut.err());
    }

    @Test
    void onnxRuntimeRolloutsGiveTheSameRunAsPytorchRollouts() throws Exception {
        Path cfg = dir.resolve("plain.yaml");
        Files.writeString(cfg, config(""));
        Path plain = dir.resolve("plain");
        assertEquals(0, hir("run", "--config", cfg.toString(), "--out", plain.toString()).status());
        Path ortCfg = dir.resolve("ort.yaml");
        Files.writeString(ortCfg, config("rollout: {type: onnxruntime}\n"));
        Path ort = dir.resolve("ort");
        Result r = hir("run", "--config", ortCfg.toString(), "--out", ort.toString());
        assertEquals(0, r.status(), r.err());
        List<String> a = Files.readAllLines(plain.resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(ort.resolve("metrics.jsonl"));
        assertEquals(a.size(), b.size());
        var mapper = new ObjectMapper();
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = mapper.readTree(a.get(i));
            JsonNode y = mapper.readTree(b.get(i));
            // Same samples (one sampling semantics, logits equal up to float rounding), so the same learning.
            for (String field : List.of("eval_accuracy", "sample_success_rate", "train_loss", "samples")) {
                assertEquals(x.path(field).asDouble(), y.path(field).asDouble(), 1e-4, field + " at iteration " + i);
            }
            assertTrue(y.get("sync_seconds").asDouble() > 0, "the rollout engine was synced at iteration " + i);
        }
    }

    @Test
    void aPolicyConfigMistakeIsOneLineNamingTheField() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, config("").replace("n_head: 2", "n_head: 3"));
        Result r = hir("run", "--config", cfg.toString(), "--out", dir.resolve("bad-out").toString());
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("policy.init.n_head:"), r.err());
    }
}
