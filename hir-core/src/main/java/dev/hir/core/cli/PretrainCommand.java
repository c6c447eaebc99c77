package dev.hir.core.cli;

import dev.hir.api.InvalidInputException;
import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.pretrain.PretrainConfig;
import dev.hir.core.pretrain.Pretrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code hir pretrain}: curriculum pretraining of a base policy on generated task families. */
final class PretrainCommand extends Command {
    /** Names the project's models folder, as for the pytorch policy's shipped checkpoints. */
    static final String MODELS_DIR_PROPERTY = "hir.models.dir";

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
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                        .desc("pretraining configuration, YAML or JSON").build())
                .addOption(Option.builder().longOpt("preset").hasArg().argName("NAME")
                        .desc("a shipped recipe instead of --config: models/presets/NAME.yaml (e.g. mini-flan, tso3-base)").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                        .desc("output folder (default: pretrain-out)").build())
                .addOption(Option.builder().longOpt("resume")
                        .desc("continue from the last snapshot in --out").build());
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        Path file = configFile(line);
        PretrainConfig config = RunConfigLoader.load(file, PretrainConfig.class);
        Path dir = Path.of(line.getOptionValue("out", "pretrain-out")).toAbsolutePath();
        Path last = new Pretrainer(config, file.getParent(), dir, line.hasOption("resume"), out, true).run();
        out.println("last snapshot: " + last);
        return HirCli.OK;
    }

    /** The configuration named by exactly one of --config and --preset. */
    static Path configFile(CommandLine line) {
        boolean config = line.hasOption("config");
        boolean preset = line.hasOption("preset");
        if (config == preset) {
            throw new InvalidInputException("--config", "give either --config FILE or --preset NAME");
        }
        if (config) {
            return Path.of(line.getOptionValue("config")).toAbsolutePath();
        }
        String name = line.getOptionValue("preset");
        Path presets = modelsDirectory().resolve("presets");
        Path file = presets.resolve(name + ".yaml");
        if (name.contains("/") || name.contains("\\") || !Files.isRegularFile(file)) {
            throw new InvalidInputException("--preset", "no preset '" + name + "' in " + presets + "; it has " + presetNames(presets)
                    + " (set -D" + MODELS_DIR_PROPERTY + " to the project's models folder)");
        }
        return file;
    }

    /** The project's models folder: -Dhir.models.dir, else {@code models} in the working directory. */
    static Path modelsDirectory() {
        String d = System.getProperty(MODELS_DIR_PROPERTY, "");
        return Path.of(d.isBlank() ? "models" : d).toAbsolutePath().normalize();
    }

    private static List<String> presetNames(Path presets) {
        try (Stream<Path> files = Files.list(presets)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
