package dev.hir.core.run;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run in a child JVM, so a test can kill it with SIGKILL at an arbitrary point. */
public final class ResumeChild {
    private ResumeChild() {}

    /**
     * Arguments: out folder, iterations, resume flag, milliseconds to sleep per training step; optionally a
     * marker file and a number of metrics lines: once the run has logged that many and the marker does not
     * exist yet, the child creates it and halts with status 134, as the JVM does after a native crash.
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int iterations = Integer.parseInt(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        long sleep = Long.parseLong(args[3]);
        if (args.length > 5 && !Files.exists(Path.of(args[4]))) {
            Path marker = Path.of(args[4]);
            int lines = Integer.parseInt(args[5]);
            Thread crash = new Thread(() -> {
                try {
                    while (!Files.exists(out.resolve("metrics.jsonl"))
                            || Files.readAllLines(out.resolve("metrics.jsonl")).size() < lines) {
                        Thread.sleep(5);
                    }
                    Files.createFile(marker);
                } catch (Exception e) {
                    return;
                }
                Runtime.getRuntime().halt(134);
            });
            crash.setDaemon(true);
            crash.start();
        }
        new HirRun(RunFixtures.config("hir", iterations), out.getParent(), out, resume,
                new PrintStream(PrintStream.nullOutputStream()), false, new TestRunModule(sleep)).run();
    }
}
