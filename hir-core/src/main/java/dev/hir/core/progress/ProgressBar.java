package dev.hir.core.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar for long phases (sampling, training, evaluation) on stderr. On a terminal it redraws one
 * line; otherwise (CI logs, files) it prints a line at most every few seconds, so logs stay short.
 */
public final class ProgressBar implements AutoCloseable {
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream stream;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private long done;
    /** Units already done when this bar started (a resumed run); they do not count toward the rate. */
    private long resumedAt;
    private long lastPrint;
    private String suffix = "";

    public ProgressBar(PrintStream stream, String label, long total, boolean interactive) {
        this(stream, label, total, interactive, System::nanoTime);
    }

    ProgressBar(PrintStream stream, String label, long total, boolean interactive, LongSupplier clock) {
        this.clock = clock;
        this.start = clock.getAsLong();
        this.stream = stream;
        this.label = label;
        this.total = Math.max(total, 0);
        this.interactive = interactive;
    }

    /** A bar on stderr, interactive when a console is attached. */
    public static ProgressBar stderr(String label, long total) {
        return new ProgressBar(System.err, label, total, System.console() != null);
    }

    /** A bar that prints nothing (tests, quiet mode). */
    public static ProgressBar silent(String label, long total) {
        return new ProgressBar(null, label, total, false);
    }

    /** Advances by {@code n} units. */
    public void step(long n) {
        done = Math.min(total, done + n);
        maybePrint(false);
    }

    /**
     * Marks {@code n} units as done before this bar started (a resumed run): the bar shows them, but the
     * time estimate uses only the rate of the units done since.
     */
    public void resumeAt(long n) {
        done = Math.min(total, n);
        resumedAt = done;
        maybePrint(false);
    }

    /** Sets a short status shown after the bar (e.g. the running loss). */
    public void status(String text) {
        suffix = text;
    }

    private void maybePrint(boolean last) {
        if (stream == null) {
            return;
        }
        long now = clock.getAsLong();
        if (!last && !interactive && now - lastPrint < LOG_INTERVAL_NANOS) {
            return;
        }
        if (!last && interactive && now - lastPrint < 100_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = (now - start) / 1e9;
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        long sinceStart = done - resumedAt;
        String eta = sinceStart == 0 || done == total ? ""
                : String.format(Locale.ROOT, " eta %.0fs", seconds * (total - done) / sinceStart);
        String text = String.format(Locale.ROOT, "%-10s [%s] %d/%d %.1fs%s %s", label, bar, done, total, seconds, eta, suffix);
        if (interactive) {
            stream.print("\r" + text + (last ? "\n" : ""));
        } else {
            stream.println(text);
        }
        stream.flush();
    }

    @Override
    public void close() {
        maybePrint(true);
    }
}
