package dev.hir.core.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** One sub-command of {@code hir}. */
abstract class Command {

    abstract String name();

    abstract String summary();

    abstract Options options();

    /** Runs the command; returns the exit status. */
    abstract int run(CommandLine line, PrintStream out, PrintStream err);

    CommandLine parse(String[] args) throws ParseException {
        CommandLine line = new DefaultParser().parse(options(), args);
        if (!line.getArgList().isEmpty()) {
            throw new ParseException("unexpected argument '" + line.getArgList().get(0) + "'");
        }
        return line;
    }

    void printHelp(PrintWriter w) {
        new HelpFormatter().printHelp(w, 100, "hir " + name() + " [options]", summary(), options(), 2, 2, "", false);
        w.flush();
    }

    static int intOption(CommandLine line, String name, int defaultValue) throws ParseException {
        String v = line.getOptionValue(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ParseException("--" + name + " expects an integer, got '" + v + "'");
        }
    }
}
