package dev.hir.bigbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a user's own task from JSON Lines: one {@code {"input": …, "target": …, "options": […]}} per
 * line ({@code options} optional). With options, the input gets {@code Options:} and {@code (A) …} lines
 * (unless it already ends with them) and the target may be the letter or the option's text.
 */
public final class JsonlTaskLoaderFactory implements TaskLoaderFactory<JsonlTaskLoaderFactory.Config> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param path the {@code .jsonl} file, relative to the run's base folder
     * @param name the task's name; default: the file name without extension
     * @param split {@code reference} (default), {@code run-seed} or {@code all-test}
     * @param trainShare the share of examples in train, default 0.8
     * @param splitSeed the permutation seed of the {@code reference} split, default 1
     */
    public record Config(String path, String name, String split, Double trainShare, Long splitSeed) {
        public Config {
            if (path == null || path.isBlank()) {
                throw new InvalidInputException("path", "is required: the .jsonl file to load");
            }
            name = name == null ? "" : name;
            split = split == null ? SplitMode.REFERENCE.configName() : split;
            trainShare = trainShare == null ? 0.8 : trainShare;
            splitSeed = splitSeed == null ? 1L : splitSeed;
            Splitter.validate(split, trainShare, splitSeed);
        }

        /** A configuration with every default but the file. */
        public static Config of(String path) {
            return new Config(path, null, null, null, null);
        }
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String description() {
        return "your own task: one {\"input\", \"target\", \"options\"} JSON object per line";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TaskLoader create(Config config, PluginContext context) {
        Path file = context.resolve(config.path());
        SplitMode mode = SplitMode.parse("split", config.split());
        long seed = mode == SplitMode.RUN_SEED ? context.seed() : config.splitSeed();
        return () -> {
            String name = config.name();
            if (name.isEmpty()) {
                String n = file.getFileName().toString();
                int dot = n.lastIndexOf('.');
                name = dot > 0 ? n.substring(0, dot) : n;
            }
            return Splitter.split(name, read(file, name), mode, config.trainShare(), seed,
                    Map.of("source", file.toString(), "loader", name()));
        };
    }

    static List<Example> read(Path file, String name) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "no such file");
        }
        var out = new ArrayList<Example>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNr = 0;
            while ((line = r.readLine()) != null) {
                lineNr++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(file + ":" + lineNr, line, name + "/" + (lineNr - 1), file));
            }
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(file.toString(), "no examples");
        }
        return out;
    }

    private static Example parse(String where, String line, String id, Path file) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where, "not valid JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
        }
        if (!n.isObject()) {
            throw new InvalidInputException(where, "not a JSON object");
        }
        var fields = n.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!List.of("input", "target", "options").contains(f)) {
                throw new InvalidInputException(where, "unknown field '" + f + "' (expected input, target, options)");
            }
        }
        String input = text(where, n, "input");
        String target = text(where, n, "target");
        var options = new ArrayList<String>();
        JsonNode o = n.get("options");
        if (o != null && !o.isNull()) {
            if (!o.isArray()) {
                throw new InvalidInputException(where, "'options' is not a list of strings");
            }
            for (JsonNode v : o) {
                if (!v.isTextual()) {
                    throw new InvalidInputException(where, "'options' is not a list of strings");
                }
                options.add(v.asText());
            }
            if (options.size() > 26) {
                throw new InvalidInputException(where, "'options' has " + options.size() + " entries, at most 26 fit letters");
            }
        }
        if (!options.isEmpty()) {
            target = letter(where, target, options);
            if (!BbhFiles.options(input).equals(options)) {
                var sb = new StringBuilder(input).append("\nOptions:");
                for (int i = 0; i < options.size(); i++) {
                    sb.append("\n(").append((char) ('A' + i)).append(") ").append(options.get(i));
                }
                input = sb.toString();
            }
        }
        return new Example(id, input, target, options, Map.of("source", file.getFileName().toString()), List.of());
    }

    private static String letter(String where, String target, List<String> options) {
        if (target.matches("\\([A-Z]\\)")) {
            if (target.charAt(1) - 'A' >= options.size()) {
                throw new InvalidInputException(where, "'target' " + target + " is past the " + options.size() + " options");
            }
            return target;
        }
        int i = options.indexOf(target);
        if (i < 0) {
            throw new InvalidInputException(where, "'target' is neither a letter like (A) nor one of the options");
        }
        return "(" + (char) ('A' + i) + ")";
    }

    private static String text(String where, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(where, "missing '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInputException(where, "'" + field + "' is not a non-empty string");
        }
        return v.asText();
    }
}
