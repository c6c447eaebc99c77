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
public final class MetricsLog {
    private static final ObjectMapper JSON = ConfigBinder.mapper();
    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    /** Appends one line and forces it to disk. */
    public void append(ObjectNode line) {
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
    public List<JsonNode> lines() {
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
    public void truncateAfter(int iteration) {
        truncateAfter("iteration", iteration);
    }

    /** Keeps only the lines whose {@code key} is at most {@code last}: a resume recomputes the rest. */
    public void truncateAfter(String key, long last) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : lines()) {
            if (n.path(key).asLong(Long.MAX_VALUE) <= last) {
                sb.append(n).append('\n');
            }
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
