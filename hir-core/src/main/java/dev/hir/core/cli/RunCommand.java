package dev.hir.core.cli;

import dev.hir.api.InvalidInputException;
import dev.hir.core.config.RunConfig;
import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.run.HirRun;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** {@code hir run}: one training run (HIR or a baseline) with evaluation after every iteration. */
final class RunCommand extends Command {
    @Override
    String name() {
        return "run";
    }

    @Override
    String summary() {
        return "one training run: sample, relabel, train, evaluate, per iteration (embedded default without --config)";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                        .desc("run configuration, YAML or JSON (default: the embedded default run)").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                        .desc("output folder (default: out)").build())
                .addOption(Option.builder().longOpt("resume")
                        .desc("continue the run in --out from its last completed iteration").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N")
                        .desc("override the configuration's seed").build())
                .addOption(Option.builder().longOpt("iterations").hasArg().argName("N")
                        .desc("override the configuration's number of iterations").build());
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        String file = line.getOptionValue("config");
        RunConfig config;
        Path base;
        if (file == null) {
            config = RunConfigLoader.embeddedDefault();
            base = Path.of("").toAbsolutePath();
        } else {
            Path path = Path.of(file).toAbsolutePath();
            config = RunConfigLoader.load(path);
            base = path.getParent();
        }
        try {
            config = override(config, line);
        } catch (ParseException e) {
            throw new InvalidInputException("--options", e.getMessage());
        }
        Path outDir = Path.of(line.getOptionValue("out", "out")).toAbsolutePath();
        new HirRun(config, base, outDir, line.hasOption("resume"), out).run();
        return HirCli.OK;
    }

    private static RunConfig override(RunConfig c, CommandLine line) throws ParseException {
        Long seed = line.hasOption("seed") ? (long) intOption(line, "seed", 0) : c.seed();
        Integer iterations = line.hasOption("iterations") ? intOption(line, "iterations", 0) : c.iterations();
        return new RunConfig(seed, c.algorithm(), iterations, c.task(), c.feedback(), c.policy(), c.rollout(),
                c.relabeling(), c.instructions(), c.sampling(), c.training(), c.buffer(), c.evaluation(), c.computeThreads());
    }
}
