package dev.hir.core.cli;

import dev.hir.api.InvalidInputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.ParseException;

/**
 * The {@code hir} command line: {@code run}, {@code eval}, {@code tasks}, {@code plugins}.
 *
 * <p>Exit status: 0 on success; 2 on a user mistake (bad option, bad config value, unknown plugin,
 * malformed file), with one line on stderr naming the file or field; 1 on an internal failure. Stack
 * traces only with {@code --debug}.
 */
public final class HirCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    HirCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        for (Command c : new Command[] {new RunCommand(), new EvalCommand(), new PretrainCommand(), new TasksCommand(), new PluginsCommand()}) {
            commands.put(c.name(), c);
        }
    }

    public static void main(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        boolean verbose = debug || Arrays.asList(args).contains("--verbose");
        // slf4j-simple reads its level once, when the first logger is made: set it before anything logs.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        // DJL warns on every start that this CPU-only machine has no usable CUDA driver.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("ai.djl.offline", "true");
        String command = Arrays.stream(args).filter(a -> !a.startsWith("--")).findFirst().orElse("");
        boolean wantsHelp = Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
        if ((command.equals("run") || command.equals("pretrain")) && !CrashSupervisor.applies(command)
                && !Boolean.getBoolean(CrashSupervisor.CHILD_PROPERTY)
                && !NativeAllocator.choice(System.getenv()).equalsIgnoreCase("system")) {
            System.err.println("hir " + command + ": warning: " + NativeAllocator.PROPERTY + " is ignored with "
                    + CrashSupervisor.ENABLED_PROPERTY + "=false (a library can only be preloaded when a process"
                    + " starts: set LD_PRELOAD yourself)");
        }
        int status = CrashSupervisor.applies(command) && !wantsHelp && args[0].equals(command)
                ? CrashSupervisor.superviseCli(args, System.err)
                : new HirCli(System.out, System.err).execute(args);
        System.out.flush();
        System.exit(status);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs one command line in this JVM (for programs and tests that embed the CLI); returns the exit
     * status instead of exiting.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new HirCli(out, err).execute(args);
    }

    /** Runs one command line; returns the exit status. */
    int execute(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug") && !a.equals("--verbose")).toArray(String[]::new);
        if (rest.length == 0 || rest[0].equals("--help") || rest[0].equals("-h") || rest[0].equals("help")) {
            if (rest.length >= 2 && commands.containsKey(rest[1])) {
                commands.get(rest[1]).printHelp(new PrintWriter(out, true));
                return OK;
            }
            printUsage();
            return rest.length == 0 ? USAGE : OK;
        }
        if (rest[0].equals("--version") || rest[0].equals("-V")) {
            out.println("hir " + version());
            return OK;
        }
        Command command = commands.get(rest[0]);
        if (command == null) {
            err.println("hir: unknown command '" + rest[0] + "'; commands: " + String.join(", ", commands.keySet())
                    + " (hir --help)");
            return USAGE;
        }
        String[] commandArgs = Arrays.copyOfRange(rest, 1, rest.length);
        if (Arrays.asList(commandArgs).contains("--help") || Arrays.asList(commandArgs).contains("-h")) {
            command.printHelp(new PrintWriter(out, true));
            return OK;
        }
        try {
            return command.run(command.parse(commandArgs), out, err);
        } catch (ParseException e) {
            err.println("hir " + command.name() + ": " + e.getMessage() + " (hir " + command.name() + " --help)");
            return USAGE;
        } catch (InvalidInputException e) {
            err.println("hir " + command.name() + ": " + e.oneLine());
            if (debug) {
                e.printStackTrace(err);
            }
            return USAGE;
        } catch (RuntimeException | Error e) {
            InvalidInputException userError = findUserError(e);
            if (userError != null) {
                err.println("hir " + command.name() + ": " + userError.oneLine());
                if (debug) {
                    e.printStackTrace(err);
                }
                return USAGE;
            }
            err.println("hir " + command.name() + ": internal error: " + e + (debug ? "" : " (--debug shows the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    /** Guice and Jackson wrap exceptions thrown inside providers; the user's mistake may be a cause. */
    private static InvalidInputException findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidInputException iie) {
                return iie;
            }
            if (c instanceof com.google.inject.ProvisionException pe) {
                for (var m : pe.getErrorMessages()) {
                    if (m.getCause() instanceof InvalidInputException iie) {
                        return iie;
                    }
                }
            }
        }
        return null;
    }

    private void printUsage() {
        out.println("usage: hir [--debug] [--verbose] <command> [options]");
        out.println();
        out.println("Aligns language models with feedback by Hindsight Instruction Relabeling.");
        out.println();
        out.println("commands:");
        for (Command c : commands.values()) {
            out.printf("  %-8s %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("  --version  print the version");
        out.println("  --debug    show stack traces and debug logs");
        out.println("  --verbose  show progress logs (plugin registrations …)");
        out.println();
        out.println("hir <command> --help  describes a command's options.");
    }

    static String version() {
        return Version.current();
    }
}
