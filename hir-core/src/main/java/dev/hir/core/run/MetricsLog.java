package dev.hir.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@code metrics.jsonl}: one JSON object per iteration, appended and fsynced. */
final class MetricsLog {
    private static final ObjectMapper JSON = ConfigBinder.mapper();
    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    void append(ObjectNode line) {
        byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** The lines written so far (a torn last line is ignored). */
    List<JsonNode> lines() {
        var out = new ArrayList<JsonNode>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length - 1; i++) {
                if (!lines[i].isBlank()) {
                    out.add(JSON.readTree(lines[i]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** Keeps only the lines of iterations up to {@code iteration}: a resume recomputes the rest. */
    void truncateAfter(int iteration) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : lines()) {
            if (n.path("iteration").asInt(Integer.MAX_VALUE) <= iteration) {
                sb.append(n).append('\n');
            }
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
