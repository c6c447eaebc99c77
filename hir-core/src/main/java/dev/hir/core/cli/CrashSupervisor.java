package dev.hir.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a resumable command ({@code hir run}, {@code hir pretrain}) in a child JVM and resumes it when the
 * native engine crashes the child.
 *
 * <p>Why: libtorch (through DJL) occasionally kills the JVM with a SIGSEGV during a backward pass
 * (docs/pytorch-policy.md, "Known problem"). Both commands are resumable bit for bit from their last
 * completed iteration or snapshot, so a restart with {@code --resume} ends with the same results as an
 * uninterrupted run; without it a long run would be lost to a crash it did not cause. Only the exit
 * statuses of a native crash (134: the JVM aborts after writing its hs_err file; 139: a raw SIGSEGV) are
 * retried; a user mistake (2), an internal error (1) or an interrupt (130, 143) ends the run as before.
 *
 * <p>The child runs with the native allocator {@link NativeAllocator} resolves ({@code -Dhir.allocator=jemalloc}
 * keeps its resident memory flat over long training, at a cost in speed).
 */
final class CrashSupervisor {
    /** Set in the child JVM, so that it does the work instead of supervising again. */
    static final String CHILD_PROPERTY = "hir.child";
    /** {@code false} runs the command in this JVM without supervision. */
    static final String ENABLED_PROPERTY = "hir.supervise";
    /** How many restarts after native crashes one command may use (default 3). */
    static final String RESTARTS_PROPERTY = "hir.max-restarts";

    static final Set<Integer> NATIVE_CRASH = Set.of(134, 139);

    private final PrintStream err;
    private final int maxRestarts;
    /** Variables set in each child's environment (the native allocator's LD_PRELOAD). */
    private final Map<String, String> childEnvironment;

    CrashSupervisor(PrintStream err, int maxRestarts) {
        this(err, maxRestarts, Map.of());
    }

    CrashSupervisor(PrintStream err, int maxRestarts, Map<String, String> childEnvironment) {
        this.err = err;
        this.maxRestarts = maxRestarts;
        this.childEnvironment = Map.copyOf(childEnvironment);
    }

    /** Whether this JVM should supervise {@code command} rather than run it. */
    static boolean applies(String command) {
        return (command.equals("run") || command.equals("pretrain")) && !Boolean.getBoolean(CHILD_PROPERTY)
                && !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));
    }

    /** Supervises {@code hir ARGS} (ARGS[0] is run or pretrain) in child JVMs like this one; returns the exit status. */
    static int superviseCli(String[] args, PrintStream err) {
        List<String> jvm = new ArrayList<>();
        jvm.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        jvm.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        jvm.add("-D" + CHILD_PROPERTY + "=true");
        jvm.add("-cp");
        jvm.add(System.getProperty("java.class.path"));
        jvm.add(HirCli.class.getName());
        List<String> first = new ArrayList<>(jvm);
        first.addAll(List.of(args));
        List<String> resume = new ArrayList<>(first);
        if (!resume.contains("--resume")) {
            resume.add("--resume");
        }
        Path state = outDirectory(args).resolve("state.json");
        int restarts = Integer.getInteger(RESTARTS_PROPERTY, 3);
        Map<String, String> environment;
        try {
            String choice = NativeAllocator.choice(System.getenv());
            Optional<Path> library = NativeAllocator.resolve(choice, NativeAllocator.libraryFolders());
            environment = NativeAllocator.childEnvironment(System.getenv(), choice, library);
        } catch (NativeAllocator.UnavailableException e) {
            err.println("hir " + args[0] + ": " + e.getMessage());
            return HirCli.USAGE;
        }
        if (Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("--debug")) {
            err.println("hir " + args[0] + ": " + NativeAllocator.describe(System.getenv(), environment));
        }
        return new CrashSupervisor(err, restarts, environment).run(first, resume, state, "hir " + args[0]);
    }

    /** The --out folder of a run or pretrain command line, with the command's default. */
    static Path outDirectory(String[] args) {
        String out = args[0].equals("pretrain") ? "pretrain-out" : "out";
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = args[i + 1];
            } else if (args[i].startsWith("--out=")) {
                out = args[i].substring("--out=".length());
            }
        }
        return Path.of(out).toAbsolutePath();
    }

    /**
     * Runs {@code first}; after each native crash that left {@code stateFile} behind, runs {@code resume},
     * at most {@code maxRestarts} times.
     */
    int run(List<String> first, List<String> resume, Path stateFile, String what) {
        List<String> command = first;
        for (int attempt = 0; ; attempt++) {
            int status = runChild(command, childEnvironment);
            if (!NATIVE_CRASH.contains(status)) {
                return status;
            }
            if (!Files.exists(stateFile)) {
                err.println(what + ": the engine crashed natively (exit " + status + ", see hs_err_pid*.log) before the first"
                        + " iteration was saved; nothing to resume. Run the command again.");
                return HirCli.FAILED;
            }
            if (attempt >= maxRestarts) {
                err.println(what + ": the engine crashed natively (exit " + status + ") " + (attempt + 1)
                        + " times; giving up. Continue later with --resume.");
                return HirCli.FAILED;
            }
            err.println(what + ": the engine crashed natively (exit " + status + ", see hs_err_pid*.log); resuming from "
                    + stateFile.getParent() + " (restart " + (attempt + 1) + " of " + maxRestarts + ")");
            command = resume;
        }
    }

    private static int runChild(List<String> command, Map<String, String> environment) {
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().putAll(environment);
            child = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        // If this JVM is stopped (Ctrl-C, SIGTERM), the child must not outlive it.
        Thread stop = new Thread(child::destroy, "hir-child-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return HirCli.FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
