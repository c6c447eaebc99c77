package dev.hir.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hir.api.InvalidInputException;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The layout of a run's output folder (ARCHITECTURE.md, "A run's folder"). */
final class RunFolder {
    static final ObjectMapper JSON = ConfigBinder.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    final Path root;

    RunFolder(Path root) {
        this.root = root;
    }

    Path config() {
        return root.resolve("config.json");
    }

    Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    Path manifest() {
        return root.resolve("manifest.json");
    }

    Path chart() {
        return root.resolve("accuracy.png");
    }

    Path state() {
        return root.resolve("state.json");
    }

    Path buffer() {
        return root.resolve("buffer");
    }

    Path checkpoint(int iteration) {
        return root.resolve("checkpoints").resolve("iter-" + iteration);
    }

    /** Whether the folder already holds (part of) a run. */
    boolean holdsRun() {
        return Files.exists(state()) || Files.exists(metrics()) || Files.exists(config());
    }

    /** The last completed iteration, if any iteration (including the initial evaluation, 0) completed. */
    Optional<Integer> completedIteration() {
        if (!Files.exists(state())) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(state()));
            JsonNode c = n.get("completed_iteration");
            if (c == null || !c.canConvertToInt()) {
                throw new InvalidInputException(state().toString(), "no completed_iteration");
            }
            return Optional.of(c.asInt());
        } catch (IOException e) {
            throw new InvalidInputException(state().toString(), "unreadable run state: " + e.getMessage(), e);
        }
    }

    void markCompleted(int iteration) {
        var node = JSON.createObjectNode().put("completed_iteration", iteration)
                .put("checkpoint", root.relativize(checkpoint(iteration)).toString());
        writeJson(state(), node);
    }

    static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
