package dev.hir.core.run;

import dev.hir.core.config.RunConfig;
import dev.hir.core.config.RunConfigLoader;
import java.nio.charset.StandardCharsets;

/** Run configurations for the loop tests; the plugins they name are replaced by {@link TestRunModule}. */
final class RunFixtures {
    private RunFixtures() {}

    static RunConfig config(String algorithm, int iterations) {
        String yaml = """
                seed: 7
                algorithm: %s
                iterations: %d
                task: {type: test-task}
                feedback: {type: test-feedback}
                policy: {type: test-policy}
                sampling: {samples_per_query: 4, max_new_tokens: 4, batch_size: 5}
                training: {epochs: 2, batch_size: 8}
                evaluation: {max_new_tokens: 4, pass_at_k: 2}
                """.formatted(algorithm, iterations);
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
    }
}
