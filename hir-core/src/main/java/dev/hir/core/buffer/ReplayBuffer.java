package dev.hir.core.buffer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hir.api.InvalidInputException;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable replay buffer: one append-only JSONL segment per iteration under {@code out/buffer/}.
 *
 * <p>A segment is written as {@code iter-NNNNNN.jsonl.partial} while its iteration samples, then fsynced
 * and renamed to {@code iter-NNNNNN.jsonl}; only renamed segments count. A partial segment (the process
 * died while sampling) is discarded on resume. When reading, a torn last line (no newline at the end, as
 * a crash during a write leaves it) is dropped with a warning; a malformed line anywhere else is an
 * error naming the file and line, never silently skipped.
 */
public final class ReplayBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayBuffer.class);
    private static final Pattern SEGMENT = Pattern.compile("iter-(\\d{6})\\.jsonl");
    private static final ObjectMapper JSON = ConfigBinder.mapper();

    private final Path dir;

    public ReplayBuffer(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The folder of the segments. */
    public Path directory() {
        return dir;
    }

    static String segmentName(int iteration) {
        return String.format("iter-%06d.jsonl", iteration);
    }

    /** Opens the segment of an iteration for appending; an earlier partial segment of it is replaced. */
    public SegmentWriter open(int iteration) {
        Path finalPath = dir.resolve(segmentName(iteration));
        if (Files.exists(finalPath)) {
            throw new IllegalStateException("segment of iteration " + iteration + " is already committed: " + finalPath);
        }
        return new SegmentWriter(dir.resolve(segmentName(iteration) + ".partial"), finalPath);
    }

    /** The iterations that have committed segments, ascending. */
    public List<Integer> iterations() {
        var its = new ArrayList<Integer>();
        try (var files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    its.add(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        its.sort(null);
        return its;
    }

    /** Reads the committed segments of iterations {@code from..to} (inclusive), oldest first. */
    public List<BufferRecord> read(int from, int to) {
        var out = new ArrayList<BufferRecord>();
        for (int it : iterations()) {
            if (it >= from && it <= to) {
                out.addAll(readSegment(dir.resolve(segmentName(it))));
            }
        }
        return out;
    }

    /** Removes every segment after {@code iteration} and every partial segment: what a resume discards. */
    public void discardAfter(int iteration) {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Matcher m = SEGMENT.matcher(name);
                if (name.endsWith(".partial") || (m.matches() && Integer.parseInt(m.group(1)) > iteration)) {
                    Files.delete(p);
                    LOG.info("Discarded buffer segment {} of an unfinished iteration", name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
        AtomicFiles.syncDirectory(dir);
    }

    static List<BufferRecord> readSegment(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        var records = new ArrayList<BufferRecord>();
        String[] lines = text.split("\n", -1);
        // After a complete write the text ends with "\n", so the last split element is empty.
        int complete = lines.length - 1;
        if (!lines[lines.length - 1].isEmpty()) {
            LOG.warn("{}: dropped a torn last line {} (no newline at its end)", file, lines.length);
        }
        for (int i = 0; i < complete; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readValue(lines[i], BufferRecord.class));
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(file + ":" + (i + 1), "malformed buffer line: " + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    /** Appends the records of one iteration; {@link #commit} makes them count. */
    public static final class SegmentWriter implements AutoCloseable {
        private final Path partial;
        private final Path finalPath;
        private final FileChannel channel;
        private final OutputStream stream;
        private boolean committed;

        SegmentWriter(Path partial, Path finalPath) {
            this.partial = partial;
            this.finalPath = finalPath;
            try {
                channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + partial, e);
            }
            stream = Channels.newOutputStream(channel);
        }

        /** Appends one record as one line. */
        public void append(BufferRecord record) {
            try {
                byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
                stream.write(line);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + partial, e);
            }
        }

        /** Forces the segment to disk and publishes it under its final name. */
        public void commit() {
            try {
                stream.flush();
                channel.force(true);
                channel.close();
                AtomicFiles.move(partial, finalPath);
                AtomicFiles.syncDirectory(finalPath.getParent());
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit " + finalPath, e);
            }
        }

        @Override
        public void close() {
            if (!committed) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // The partial segment is discarded on resume anyway.
                }
            }
        }
    }
}
