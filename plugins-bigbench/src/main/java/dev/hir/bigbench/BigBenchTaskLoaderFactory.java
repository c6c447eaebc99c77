package dev.hir.bigbench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads a BIG-bench {@code task.json} and renders each example as the reference code does (PAPER.md §4):
 * multiple-choice examples (with {@code target_scores}) become the question followed by
 * {@code Options:} and {@code (A) …} lines with the letter of the option scored 1 as target; the others
 * keep their {@code target}, or its element {@code listTargetIndex} when the target is a list.
 */
public final class BigBenchTaskLoaderFactory implements TaskLoaderFactory<BigBenchTaskLoaderFactory.Config> {

    /**
     * @param path the {@code task.json} file, relative to the run's base folder
     * @param name the task's name; default: the file's folder name (BIG-bench keeps one task per folder)
     * @param split {@code reference} (default), {@code run-seed} or {@code all-test}
     * @param trainShare the share of examples in train, default 0.8
     * @param splitSeed the permutation seed of the {@code reference} split, default 1
     * @param listTargetIndex which element of a list-valued {@code target} is the gold answer; default 1,
     *     as the reference code (PAPER.md §8.11)
     */
    public record Config(String path, String name, String split, Double trainShare, Long splitSeed,
            Integer listTargetIndex) {
        public Config {
            if (path == null || path.isBlank()) {
                throw new InvalidInputException("path", "is required: the task.json file to load");
            }
            name = name == null ? "" : name;
            split = split == null ? SplitMode.REFERENCE.configName() : split;
            trainShare = trainShare == null ? 0.8 : trainShare;
            splitSeed = splitSeed == null ? 1L : splitSeed;
            listTargetIndex = listTargetIndex == null ? 1 : listTargetIndex;
            Splitter.validate(split, trainShare, splitSeed);
            if (listTargetIndex < 0) {
                throw new InvalidInputException("listTargetIndex", "must be >= 0, got " + listTargetIndex);
            }
        }

        /** A configuration with every default but the file. */
        public static Config of(String path) {
            return new Config(path, null, null, null, null, null);
        }
    }

    @Override
    public String name() {
        return "bigbench";
    }

    @Override
    public String description() {
        return "a BIG-bench task.json, rendered and split as the HIR reference code does";
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
            ExamplesFile f = ExamplesFile.read(file);
            String name = config.name().isEmpty() ? defaultName(file) : config.name();
            List<Example> all = render(f, name, config.listTargetIndex());
            return Splitter.split(name, all, mode, config.trainShare(), seed,
                    Map.of("source", file.toString(), "loader", name()));
        };
    }

    private static String defaultName(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (file.getFileName().toString().equals("task.json") && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        String n = file.getFileName().toString();
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    static List<Example> render(ExamplesFile f, String name, int listTargetIndex) {
        String prefix = f.headerText("task_prefix") + f.headerText("example_input_prefix");
        var out = new ArrayList<Example>();
        for (ExamplesFile.Entry e : f.examples()) {
            if (!e.node().isObject()) {
                throw f.invalid(e, "not a JSON object");
            }
            String input = f.requireText(e, "input");
            JsonNode scores = e.node().get("target_scores");
            String id = name + "/" + e.index();
            Map<String, String> meta = Map.of("source", f.file().getFileName().toString());
            if (scores != null && !scores.isNull()) {
                out.add(multipleChoice(f, e, id, prefix + input.replace("\n\n", ""), scores, meta));
            } else {
                String target = target(f, e, listTargetIndex);
                out.add(new Example(id, prefix + input.replace("\n\n", "\n"), target, List.of(), meta, List.of()));
            }
        }
        return out;
    }

    private static Example multipleChoice(ExamplesFile f, ExamplesFile.Entry e, String id, String question,
            JsonNode scores, Map<String, String> meta) {
        if (!scores.isObject() || scores.isEmpty()) {
            throw f.invalid(e, "'target_scores' is not a non-empty object");
        }
        if (scores.size() > 26) {
            throw f.invalid(e, "'target_scores' has " + scores.size() + " options, at most 26 fit letters");
        }
        var options = new ArrayList<String>();
        var entry = new StringBuilder(question).append("\nOptions:");
        int correct = -1;
        Iterator<Map.Entry<String, JsonNode>> it = scores.fields();
        while (it.hasNext()) {
            var o = it.next();
            if (!o.getValue().isNumber()) {
                throw f.invalid(e, "score of option '" + o.getKey() + "' is not a number");
            }
            if (correct < 0 && o.getValue().asDouble() == 1.0) {
                correct = options.size();
            }
            entry.append("\n(").append((char) ('A' + options.size())).append(") ").append(o.getKey());
            options.add(o.getKey());
        }
        if (correct < 0) {
            throw f.invalid(e, "no option in 'target_scores' has score 1");
        }
        return new Example(id, entry.toString(), "(" + (char) ('A' + correct) + ")", options, meta, List.of());
    }

    private static String target(ExamplesFile f, ExamplesFile.Entry e, int listTargetIndex) {
        JsonNode t = e.node().get("target");
        if (t == null || t.isNull()) {
            throw f.invalid(e, "missing 'target' (and no 'target_scores')");
        }
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            if (listTargetIndex >= t.size()) {
                throw f.invalid(e, "'target' has " + t.size() + " elements, listTargetIndex is " + listTargetIndex);
            }
            JsonNode v = t.get(listTargetIndex);
            if (!v.isTextual()) {
                throw f.invalid(e, "'target'[" + listTargetIndex + "] is not a string");
            }
            return v.asText();
        }
        throw f.invalid(e, "'target' is neither a string nor a list of strings");
    }
}
