package dev.hir.bigbench;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The BIG-Bench-Hard files: where they are and how their examples read. */
public final class BbhFiles {
    /** The system property that names the folder of the BBH json files. */
    public static final String DIR_PROPERTY = "bbh.dir";

    private static final Pattern OPTION = Pattern.compile("\\(([A-Z])\\) (.*)");

    private BbhFiles() {}

    /**
     * The folder named by {@value #DIR_PROPERTY}, else {@code ../shared/data/bbh} from the working
     * directory, as an absolute path: a default must not move with the folder of the configuration file
     * that left it out.
     */
    public static String defaultDirectory() {
        String d = System.getProperty(DIR_PROPERTY, "");
        return Path.of(d.isBlank() ? "../shared/data/bbh" : d).toAbsolutePath().normalize().toString();
    }

    /** The task names of the BBH files in a folder (file names without {@code .json}), sorted. */
    public static List<String> taskNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one BBH file. Ids are {@code bbh/<task>/<index>}; multiple-choice inputs keep their
     * {@code Options:} lines and the option texts become {@link Example#options()}.
     */
    public static List<Example> read(Path file, String task) {
        ExamplesFile f = ExamplesFile.read(file);
        var out = new ArrayList<Example>(f.examples().size());
        for (ExamplesFile.Entry e : f.examples()) {
            if (!e.node().isObject()) {
                throw f.invalid(e, "not a JSON object");
            }
            String input = f.requireText(e, "input");
            String target = f.requireText(e, "target");
            if (input.isBlank()) {
                throw f.invalid(e, "'input' is blank");
            }
            if (target.isBlank()) {
                throw f.invalid(e, "'target' is blank");
            }
            List<String> options = options(input);
            if (!options.isEmpty() && target.matches("\\([A-Z]\\)") && target.charAt(1) - 'A' >= options.size()) {
                throw f.invalid(e, "target " + target + " is not one of the " + options.size() + " options");
            }
            out.add(new Example("bbh/" + task + "/" + e.index(), input, target, options,
                    Map.of("source", file.getFileName().toString(), "family", task), List.of()));
        }
        return out;
    }

    /** The option texts of an input that ends with {@code Options:} and {@code (A) …} lines; else empty. */
    public static List<String> options(String input) {
        int at = input.lastIndexOf("\nOptions:\n");
        if (at < 0) {
            return List.of();
        }
        var options = new ArrayList<String>();
        for (String line : input.substring(at + "\nOptions:\n".length()).split("\n", -1)) {
            var m = OPTION.matcher(line);
            if (!m.matches() || m.group(1).charAt(0) != 'A' + options.size()) {
                return List.of();
            }
            options.add(m.group(2));
        }
        return options;
    }
}
