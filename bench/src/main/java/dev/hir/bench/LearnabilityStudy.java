package dev.hir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hir.api.Example;
import dev.hir.api.Task;
import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RunPluginContext;
import dev.hir.core.pretrain.PretrainConfig;
import dev.hir.core.pretrain.Pretrainer;
import dev.hir.core.tasks.TaskResolver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Issue 7's learnability study: for each task family, single-family curriculum pretraining with a preset's
 * recipe (the staircase, earlier levels in the mix, answer-only loss, the wrong-answer instruction), for each
 * model size and tokenizer, for the same wall-time budget, with accuracy on the family's REAL BBH examples
 * measured every few steps. The cells run one after another in this JVM (never two at once: FEASIBILITY.md
 * P3); a finished cell writes {@code cell.json} and is skipped when the study is started again, an unfinished
 * one is started over.
 *
 * <p>Writes under {@code --out}: one folder per cell (its pretraining {@code metrics.jsonl} and log, snapshots
 * deleted), {@code study.json} (every cell's curve: step, examples, seconds, real accuracy, level) and
 * {@code study.md} (the table: accuracy at a quarter, half and all of the budget, best, chance and majority).
 *
 * <p>Usage: {@code LearnabilityStudy --preset FILE --tokenizers A.json,B.json [--families all|f1,f2]
 * [--sizes small,large] [--state off|on|off,on] [--minutes 10] [--eval-every 100] [--limit 0] [--threads 1]
 * [--out DIR]}; {@code --state on} gives the policy its default latent-state head ({@code state_head}).
 */
public final class LearnabilityStudy {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model size of the study: about 0.5M and 4M parameters with a 2,048-token vocabulary. */
    record Size(String name, int nLayer, int nEmbd, int nHead) {
        static Size named(String name) {
            return switch (name) {
                case "small" -> new Size("small", 2, 128, 4);
                case "medium" -> new Size("medium", 4, 128, 4);
                case "large" -> new Size("large", 4, 256, 8);
                default -> throw new IllegalArgumentException("unknown size '" + name + "' (small, medium, large)");
            };
        }
    }

    record Options(Path preset, List<String> families, List<Size> sizes, List<Path> tokenizers, List<Boolean> state,
            double minutes, int evalEvery, int limit, int threads, int positions, Path out) {}

    private LearnabilityStudy() {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Files.createDirectories(o.out());
        var cells = new ArrayList<Map<String, Object>>();
        for (String family : o.families()) {
            for (Size size : o.sizes()) {
                for (Path tokenizer : o.tokenizers()) {
                    for (boolean state : o.state()) {
                        cells.add(cell(o, family, size, tokenizer, state));
                    }
                }
            }
        }
        Map<String, Object> study = new LinkedHashMap<>();
        study.put("preset", o.preset().toString());
        study.put("minutes_per_cell", o.minutes());
        study.put("threads", o.threads());
        study.put("cells", cells);
        Json.emit(study, o.out().resolve("study.json").toString());
        String table = table(cells, o.minutes());
        Files.writeString(o.out().resolve("study.md"), table);
        System.out.print(table);
    }

    private static Map<String, Object> cell(Options o, String family, Size size, Path tokenizer, boolean state)
            throws IOException {
        String tokName = tokenizer.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = o.out().resolve(family + "--" + size.name() + "--" + tokName + (state ? "--state" : ""));
        Path done = dir.resolve("cell.json");
        if (Files.exists(done)) {
            System.out.println("done before: " + dir.getFileName());
            @SuppressWarnings("unchecked")
            Map<String, Object> cached = JSON.readValue(done.toFile(), LinkedHashMap.class);
            return cached;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        PretrainConfig config = config(o, family, size, tokenizer, state);
        System.out.printf(Locale.ROOT, "cell %s: %.1f minutes%n", dir.getFileName(), o.minutes());
        long start = System.nanoTime();
        try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("log.txt")), true, StandardCharsets.UTF_8)) {
            new Pretrainer(config, o.preset().getParent(), dir.resolve("run"), false, log, false).run();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("family", family);
        result.put("size", size.name());
        result.put("layers", size.nLayer());
        result.put("width", size.nEmbd());
        result.put("tokenizer", tokName);
        result.put("state_supervision", state);
        result.put("seconds", (System.nanoTime() - start) / 1e9);
        result.putAll(baselines(config, family, o.preset().getParent()));
        result.put("curve", curve(dir.resolve("run").resolve("metrics.jsonl"), family, config.batchSize()));
        deleteTree(dir.resolve("run").resolve("checkpoints"));
        Json.emit(result, done.toString());
        return result;
    }

    /**
     * The preset's recipe for one family, size and tokenizer, with the study's budget, with the policy's
     * default latent-state head or without any.
     */
    private static PretrainConfig config(Options o, String family, Size size, Path tokenizer, boolean state)
            throws IOException {
        var root = (ObjectNode) new YAMLMapper().readTree(o.preset().toFile());
        var policy = (ObjectNode) root.get("policy");
        policy.put("tokenizer", tokenizer.toAbsolutePath().toString());
        var init = policy.putObject("init");
        init.put("n_layer", size.nLayer()).put("n_embd", size.nEmbd()).put("n_head", size.nHead()).put("n_positions", o.positions());
        policy.remove("state_head");
        if (state) {
            policy.putObject("state_head");
        }
        root.putArray("families").addObject().put("family", family);
        root.put("steps", 1_000_000);
        root.put("max_minutes", o.minutes());
        root.put("checkpoint_every", o.evalEvery());
        // Both sections are optional in a preset; snapshots (the budget's check points) must fall on probes.
        ObjectNode curriculum = root.withObject("/curriculum");
        if (o.evalEvery() % curriculum.path("probe_every").asInt(100) != 0) {
            curriculum.put("probe_every", o.evalEvery());
        }
        root.withObject("/evaluation").put("every", o.evalEvery()).put("limit", o.limit());
        root.put("compute_threads", o.threads());
        return RunConfigLoader.parse(JSON.writeValueAsBytes(root), o.preset().toString(), PretrainConfig.class);
    }

    /** Chance (mean of 1/options) and the majority answer's rate on the family's real examples. */
    private static Map<String, Object> baselines(PretrainConfig config, String family, Path base) {
        var context = new RunPluginContext(config.seed(), base, Optional.empty(), 1);
        Task task = new TaskResolver(PluginRegistry.discover(), context)
                .loader(config.evaluation().loader() + ":" + family, "evaluation.loader").load();
        var all = new ArrayList<Example>(task.train());
        all.addAll(task.test());
        List<Example> used = config.evaluation().limit() > 0 && all.size() > config.evaluation().limit()
                ? all.subList(0, config.evaluation().limit()) : all;
        double chance = used.stream().mapToDouble(e -> e.isMultipleChoice() ? 1.0 / e.options().size() : 0.0).average().orElse(0);
        var counts = new HashMap<String, Integer>();
        used.forEach(e -> counts.merge(e.target(), 1, Integer::sum));
        double majority = counts.values().stream().max(Comparator.naturalOrder()).orElse(0) / (double) Math.max(1, used.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", used.size());
        m.put("chance", chance);
        m.put("majority", majority);
        return m;
    }

    private static List<Map<String, Object>> curve(Path metrics, String family, int batchSize) throws IOException {
        var points = new ArrayList<Map<String, Object>>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("eval_accuracy")) {
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            long step = n.get("step").asLong();
            p.put("step", step);
            p.put("examples", step * batchSize);
            p.put("seconds", n.get("seconds").asDouble());
            p.put("accuracy", n.get("eval_accuracy").get(family).asDouble());
            p.put("level", n.get("levels").get(family).asInt());
            points.add(p);
        }
        return points;
    }

    /** The Markdown table: real accuracy after a quarter, half and all of the budget, and the best seen. */
    static String table(List<Map<String, Object>> cells, double minutes) {
        var sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| family | size | tokenizer | state head | chance | majority | %.3g min | %.3g min | %.3g min | best | steps | last level |%n",
                minutes / 4, minutes / 2, minutes));
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var c : cells) {
            @SuppressWarnings("unchecked")
            var curve = (List<Map<String, Object>>) c.get("curve");
            double best = curve.stream().mapToDouble(p -> ((Number) p.get("accuracy")).doubleValue()).max().orElse(Double.NaN);
            var last = curve.isEmpty() ? Map.<String, Object>of() : curve.get(curve.size() - 1);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f | %s | %s | %s | %.2f | %s | %s |%n",
                    c.get("family"), c.get("size"), c.get("tokenizer"),
                    Boolean.TRUE.equals(c.get("state_supervision")) ? "yes" : "no", num(c.get("chance")), num(c.get("majority")),
                    at(curve, minutes * 60 / 4), at(curve, minutes * 60 / 2), at(curve, minutes * 60), best,
                    last.getOrDefault("step", "-"), last.getOrDefault("level", "-")));
        }
        return sb.toString();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** The accuracy of the last evaluation at or before {@code seconds} ("-" when there is none). */
    private static String at(List<Map<String, Object>> curve, double seconds) {
        String value = "-";
        for (var p : curve) {
            if (num(p.get("seconds")) <= seconds * 1.02) {
                value = String.format(Locale.ROOT, "%.2f", num(p.get("accuracy")));
            }
        }
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Options parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            a.put(args[i].substring(2), args[++i]);
        }
        Path preset = Path.of(a.getOrDefault("preset", "models/presets/mini-flan.yaml")).toAbsolutePath();
        String fams = a.getOrDefault("families", "all");
        List<String> families = fams.equals("all") ? allFamilies(preset) : List.of(fams.split(","));
        List<Size> sizes = Stream.of(a.getOrDefault("sizes", "small,large").split(",")).map(Size::named).toList();
        if (!a.containsKey("tokenizers")) {
            throw new IllegalArgumentException("--tokenizers A.json,B.json is required");
        }
        List<Path> tokenizers = Stream.of(a.get("tokenizers").split(",")).map(s -> Path.of(s).toAbsolutePath()).toList();
        List<Boolean> state = Stream.of(a.getOrDefault("state", "off").split(",")).map(v -> switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--state takes off, on or off,on; got '" + v + "'");
        }).toList();
        return new Options(preset, families, sizes, tokenizers, state,
                Double.parseDouble(a.getOrDefault("minutes", "10")),
                Integer.parseInt(a.getOrDefault("eval-every", "100")),
                Integer.parseInt(a.getOrDefault("limit", "0")),
                Integer.parseInt(a.getOrDefault("threads", "1")),
                Integer.parseInt(a.getOrDefault("positions", "512")),
                Path.of(a.getOrDefault("out", "bench/results-learnability")).toAbsolutePath());
    }

    private static List<String> allFamilies(Path preset) {
        return RunConfigLoader.load(preset, PretrainConfig.class).families().stream().map(PretrainConfig.Family::family).toList();
    }
}
