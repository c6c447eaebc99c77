package dev.hir.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.core.config.RunConfig;
import dev.hir.core.config.RunConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Run configurations for the loop tests; the plugins they name are replaced by {@link TestRunModule}. */
public final class RunFixtures {
    /** Wall-clock figures of a metrics line, which differ between any two runs. */
    private static final List<String> TIMING = List.of("seconds", "phase_seconds", "peak_memory_mb",
            "train_tokens_per_s", "rollout_tokens_per_s", "sync_seconds");

    private RunFixtures() {}

    /** The lines of a run's metrics.jsonl. */
    public static List<JsonNode> metrics(Path out) {
        return new MetricsLog(out.resolve("metrics.jsonl")).lines();
    }

    /** The metrics without wall-clock figures: equal for two runs of one seed and config. */
    public static List<JsonNode> deterministicMetrics(Path out) {
        var lines = new ArrayList<JsonNode>();
        for (JsonNode n : metrics(out)) {
            ObjectNode copy = n.deepCopy();
            TIMING.forEach(copy::remove);
            lines.add(copy);
        }
        return lines;
    }

    static RunConfig config(String algorithm, int iterations) {
        return config(algorithm, iterations, 4);
    }

    static RunConfig config(String algorithm, int iterations, int maxNewTokens) {
        String yaml = """
                seed: 7
                algorithm: %s
                iterations: %d
                task: {type: test-task}
                feedback: {type: test-feedback}
                policy: {type: test-policy}
                sampling: {samples_per_query: 4, max_new_tokens: %d, batch_size: 5}
                training: {epochs: 2, batch_size: 8}
                evaluation: {max_new_tokens: %d, pass_at_k: 2}
                """.formatted(algorithm, iterations, maxNewTokens, maxNewTokens);
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
    }
}
