package dev.hir.core.run;

import java.io.PrintStream;
import java.nio.file.Path;

/** A run in a child JVM, so a test can kill it with SIGKILL at an arbitrary point. */
public final class ResumeChild {
    private ResumeChild() {}

    /** Arguments: out folder, iterations, resume flag, milliseconds to sleep per training step. */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        int iterations = Integer.parseInt(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        long sleep = Long.parseLong(args[3]);
        new HirRun(RunFixtures.config("hir", iterations), out.getParent(), out, resume,
                new PrintStream(PrintStream.nullOutputStream()), false, new TestRunModule(sleep)).run();
    }
}
