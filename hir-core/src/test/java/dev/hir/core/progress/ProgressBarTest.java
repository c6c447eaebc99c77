package dev.hir.core.progress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong(START);
    private static final long START = 100_000_000_000L;

    private ProgressBar bar(long total) {
        return new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "pretrain", total, false, nanos::get);
    }

    private String lastLine() {
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void estimatesTheRemainingTimeFromTheRateSoFar() {
        var bar = bar(100);
        nanos.set(START + 10_000_000_000L);
        bar.step(25);
        assertTrue(lastLine().contains("25/100 10.0s eta 30s"), lastLine());
    }

    @Test
    void aResumedBarEstimatesFromTheUnitsDoneSinceItStarted() {
        var bar = bar(12_000);
        bar.resumeAt(3_000);
        nanos.set(START + 10_000_000_000L);
        bar.step(10);
        // 10 steps in 10 s, 8,990 left: not the 3,010 steps "done" in 10 s that gave a 30-second estimate
        assertTrue(lastLine().contains("3010/12000 10.0s eta 8990s"), lastLine());
    }

    @Test
    void printsNoEstimateBeforeAnyUnitIsDone() {
        var bar = bar(50);
        bar.resumeAt(20);
        assertTrue(lastLine().contains("20/50"), lastLine());
        assertFalse(lastLine().contains("eta"), lastLine());
    }
}
