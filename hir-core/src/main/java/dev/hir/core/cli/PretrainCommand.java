package dev.hir.core.cli;

import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.pretrain.PretrainConfig;
import dev.hir.core.pretrain.Pretrainer;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code hir pretrain}: curriculum pretraining of a base policy on generated task families. */
final class PretrainCommand extends Command {
    @Override
    String name() {
        return "pretrain";
    }

    @Override
    String summary() {
        return "pretrain a base policy on generated task families with a staircase curriculum";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE").required()
                        .desc("pretraining configuration, YAML or JSON (presets: models/presets/)").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                        .desc("output folder (default: pretrain-out)").build())
                .addOption(Option.builder().longOpt("resume")
                        .desc("continue from the last snapshot in --out").build());
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        Path file = Path.of(line.getOptionValue("config")).toAbsolutePath();
        PretrainConfig config = RunConfigLoader.load(file, PretrainConfig.class);
        Path dir = Path.of(line.getOptionValue("out", "pretrain-out")).toAbsolutePath();
        Path last = new Pretrainer(config, file.getParent(), dir, line.hasOption("resume"), out, true).run();
        out.println("last snapshot: " + last);
        return HirCli.OK;
    }
}
