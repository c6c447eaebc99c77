package dev.hir.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayBufferTest {
    private static BufferRecord record(int iteration, String output) {
        Example e = new Example("t/1", "Which?\nOptions:\n(A) x\n(B) y", "(A)", List.of("x", "y"), Map.of(), List.of());
        Feedback f = output.contains("A") ? Feedback.correct("match") : Feedback.wrong(0, "no");
        return BufferRecord.of(new Episode(e, "Solve.", output, f, iteration, 2), OptionalDouble.of(-1.5));
    }

    private static void write(ReplayBuffer buffer, int iteration, String... outputs) {
        try (var w = buffer.open(iteration)) {
            for (String o : outputs) {
                w.append(record(iteration, o));
            }
            w.commit();
        }
    }

    @Test
    void recordsRoundTripWithTheirEpisode(@TempDir Path dir) {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)", " (B)");
        List<BufferRecord> back = buffer.read(0, 10);
        assertEquals(List.of(record(1, " (A)"), record(1, " (B)")), back);
        Episode e = back.get(0).episode();
        assertEquals(2, e.count());
        assertTrue(e.feedback().isCorrect());
        assertEquals(List.of("x", "y"), e.example().options());
    }

    @Test
    void onlyCommittedSegmentsCount(@TempDir Path dir) {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)");
        try (var w = buffer.open(2)) {
            w.append(record(2, " (B)"));
            // no commit: the process "died" while sampling
        }
        assertEquals(List.of(1), buffer.iterations());
        assertEquals(1, buffer.read(0, 10).size());
        buffer.discardAfter(1);
        assertFalse(Files.exists(dir.resolve("iter-000002.jsonl.partial")));
    }

    @Test
    void aTornLastLineIsDroppedNotMisparsed(@TempDir Path dir) throws Exception {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)", " (B)");
        Path seg = dir.resolve("iter-000001.jsonl");
        Files.writeString(seg, "{\"iteration\":1,\"example_id\":\"t/1\",\"inp", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(2, buffer.read(0, 10).size());
    }

    @Test
    void aCorruptLineInsideASegmentIsAnErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)", " (B)");
        Path seg = dir.resolve("iter-000001.jsonl");
        List<String> lines = Files.readAllLines(seg);
        Files.writeString(seg, lines.get(0) + "\n{garbage\n" + lines.get(1) + "\n");
        var e = assertThrows(InvalidInputException.class, () -> buffer.read(0, 10));
        assertTrue(e.source().endsWith("iter-000001.jsonl:2"), e.source());
    }

    @Test
    void discardAfterRemovesLaterIterations(@TempDir Path dir) {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)");
        write(buffer, 2, " (A)");
        write(buffer, 3, " (B)");
        buffer.discardAfter(1);
        assertEquals(List.of(1), buffer.iterations());
        assertEquals(1, buffer.read(0, 10).size());
    }

    @Test
    void readSelectsAWindowOfIterations(@TempDir Path dir) {
        var buffer = new ReplayBuffer(dir);
        write(buffer, 1, " (A)");
        write(buffer, 2, " (B)", " (A)");
        write(buffer, 3, " (B)");
        assertEquals(3, buffer.read(2, 3).size());
        assertThrows(IllegalStateException.class, () -> buffer.open(2));
    }
}
