package dev.hir.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hir.core.cli.HirCli;
import dev.hir.pytorch.checkpoint.SafetensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every checkpoint shipped in {@code models/} loads by its bare name, and {@code hir eval} on it prints the
 * accuracy its manifest claims: the manifest's numbers are checked, not just written down. The base of the
 * embedded default is cheap to make, so its preset is run and must give the shipped weights (bit for bit on the
 * CPU type that made them, within 5% of their norm on another).
 */
class ShippedModelsTest {
    private static final Pattern ACCURACY = Pattern.compile("accuracy (\\d\\.\\d+)");

    static Path models() {
        return Path.of(System.getProperty("hir.models.dir", "../models"));
    }

    static Stream<String> shipped() throws IOException {
        try (Stream<Path> dirs = Files.list(models())) {
            List<String> names = dirs.filter(d -> Files.exists(d.resolve("manifest.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertFalse(names.isEmpty(), "no shipped model in " + models());
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void hirEvalPrintsTheAccuracyTheManifestClaims(String name) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(models().resolve(name).resolve("manifest.json").toFile());
        assertEquals(name, manifest.get("name").asText());
        for (String field : List.of("recipe", "seed", "parameters", "accuracy")) {
            assertTrue(manifest.has(field), name + "/manifest.json lacks " + field);
        }
        JsonNode checks = manifest.get("hir_eval");
        assertTrue(checks != null && checks.size() > 0, name + "/manifest.json lists no hir_eval check");
        for (JsonNode check : checks) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int status = HirCli.run(new String[] {"eval", "--checkpoint", name, "--task", check.get("task").asText(),
                    "--split", check.get("split").asText(), "--feedback", check.get("feedback").asText(),
                    "--max-new-tokens", check.get("max_new_tokens").asText()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            var m = ACCURACY.matcher(printed);
            assertTrue(m.find(), printed);
            // Greedy decoding is deterministic; the tolerance covers one near-tie flipped by another thread count.
            assertEquals(check.get("accuracy").asDouble(), Double.parseDouble(m.group(1)), 0.021, name + ": " + printed);
        }
    }

    @Test
    void theEmbeddedDefaultStartsFromTheShippedBaseThatTheReproductionTestChecks() {
        var policy = dev.hir.core.config.RunConfigLoader.embeddedDefault().policy();
        assertEquals("counting-base", policy.settings().path("checkpoint").asText(), "the default's base is the one reproduced below");
        assertTrue(Files.exists(models().resolve("counting-base/model.safetensors")));
    }

    @Test
    void thePresetOfTheDefaultsBaseReproducesTheShippedWeights(@TempDir Path tmp) throws IOException {
        Path shipped = models().resolve("counting-base");
        JsonNode manifest = new ObjectMapper().readTree(shipped.resolve("manifest.json").toFile());
        JsonNode recipe = manifest.get("recipe");
        int step = recipe.get("snapshot_step").asInt();
        Path presets = models().resolve("presets");
        String preset = Files.readString(presets.resolve("counting-base.yaml"));
        // Only the step count changes (data and schedule depend on the step, not on the total) and the
        // tokenizer path, which is relative to the preset's folder.
        String config = preset.replaceFirst("(?m)^steps: \\d+", "steps: " + step)
                .replace("tokenizer: mini-flan-tokenizer.json", "tokenizer: " + presets.resolve("mini-flan-tokenizer.json").toAbsolutePath());
        assertTrue(config.contains("steps: " + step + "\n") && config.contains(presets.toAbsolutePath().toString()), config);
        Path file = tmp.resolve("counting-base.yaml");
        Files.writeString(file, config);
        pretrain(file, tmp.resolve("out"));
        Path made = tmp.resolve("out/checkpoints/step-" + step);
        byte[] expected = Files.readAllBytes(shipped.resolve("model.safetensors"));
        byte[] actual = Files.readAllBytes(made.resolve("model.safetensors"));
        if (onTheCpuTypeThatMade(manifest)) {
            assertArrayEquals(expected, actual,
                    "hir pretrain --preset counting-base no longer makes the shipped step-" + step + " weights");
        } else if (!Arrays.equals(expected, actual)) {
            // On another CPU type libtorch picks other kernels, and Adam turns their last-bit differences into a
            // 1.4% distance after 200 steps (measured on two CPU types, docs/base-model.md session 18). Being 50
            // steps off already moves them 8-11%; a changed preset, data stream or initialisation moves them further.
            double distance = relativeDistance(shipped.resolve("model.safetensors"), expected, made.resolve("model.safetensors"), actual);
            assertTrue(distance < 0.05, "hir pretrain --preset counting-base no longer makes the shipped step-" + step
                    + " weights: relative L2 distance " + distance);
        }
    }

    /** ||a - b|| / ||a|| over every tensor of two float32 safetensors files that hold the same tensors. */
    private static double relativeDistance(Path fileA, byte[] a, Path fileB, byte[] b) {
        SafetensorsFile.Header headerA = SafetensorsFile.readHeader(fileA);
        SafetensorsFile.Header headerB = SafetensorsFile.readHeader(fileB);
        assertEquals(headerA.entries().keySet(), headerB.entries().keySet(), "the two checkpoints have different tensors");
        ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        double norm = 0;
        double diff = 0;
        for (SafetensorsFile.Entry e : headerA.entries().values()) {
            SafetensorsFile.Entry f = headerB.entries().get(e.name());
            assertTrue(e.dtype().equals("F32") && f.dtype().equals("F32") && Arrays.equals(e.shape(), f.shape()), e.name());
            for (long k = 0; k < e.end() - e.begin(); k += 4) {
                double u = x.getFloat((int) (headerA.dataStart() + e.begin() + k));
                double v = y.getFloat((int) (headerB.dataStart() + f.begin() + k));
                norm += u * u;
                diff += (u - v) * (u - v);
            }
        }
        return Math.sqrt(diff / norm);
    }

    /**
     * The multi-family base took a 103-minute run: its preset is re-run for the first steps the manifest
     * records, which must log the same training losses (to the last digit on the same CPU type; every stream
     * derives from seed and step, so the rest of the run follows on the same machine and thread count).
     */
    @Test
    void theMiniFlanPresetRepeatsTheFirstStepsOfTheShippedRun(@TempDir Path tmp) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(models().resolve("mini-flan/manifest.json").toFile());
        JsonNode reproduction = manifest.get("reproduction");
        int steps = reproduction.get("steps").asInt();
        Path presets = models().resolve("presets");
        String config = Files.readString(presets.resolve("mini-flan.yaml"))
                .replaceFirst("(?m)^steps: \\d+", "steps: " + steps)
                .replace("tokenizer: mini-flan-tokenizer.json", "tokenizer: " + presets.resolve("mini-flan-tokenizer.json").toAbsolutePath())
                // The run's last step evaluates on real BBH; one example per family keeps it short.
                .replaceFirst("(?m)^evaluation: .*$", "evaluation: {every: 500, limit: 1, max_new_tokens: 4}");
        assertTrue(config.contains("steps: " + steps + "\n") && config.contains("limit: 1,"), config);
        Path file = tmp.resolve("mini-flan.yaml");
        Files.writeString(file, config);
        pretrain(file, tmp.resolve("out"));
        List<String> lines = Files.readAllLines(tmp.resolve("out/metrics.jsonl"));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(steps, last.get("step").asInt());
        // To the last digit on the CPU type that made the run; another type's kernels moved the losses by
        // 4e-11 (relative) after 100 steps (docs/base-model.md session 18), a changed data stream by percents.
        double tolerance = onTheCpuTypeThatMade(manifest) ? 0.0 : 1e-7;
        double loss = reproduction.get("train_loss").asDouble();
        double stateLoss = reproduction.get("train_state_loss").asDouble();
        assertEquals(loss, last.get("train_loss").asDouble(), tolerance * loss,
                "hir pretrain --preset mini-flan no longer repeats the shipped run's first " + steps + " steps");
        assertEquals(stateLoss, last.get("train_state_loss").asDouble(), tolerance * stateLoss);
    }

    /**
     * Whether this machine's CPU is of the type (x86 family and model in {@code /proc/cpuinfo}) the manifest's
     * {@code made_on_cpu} names: there the preset must repeat the shipped run to the last bit. False where the
     * CPU type cannot be read.
     */
    private static boolean onTheCpuTypeThatMade(JsonNode manifest) throws IOException {
        JsonNode cpu = manifest.path("made_on_cpu");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (cpu.isMissingNode() || !Files.isReadable(cpuinfo)) {
            return false;
        }
        String family = null;
        String model = null;
        for (String line : Files.readAllLines(cpuinfo)) {
            String[] kv = line.split(":", 2);
            if (kv.length < 2) {
                continue;
            }
            String key = kv[0].strip();
            if (key.equals("cpu family") && family == null) {
                family = kv[1].strip();
            } else if (key.equals("model") && model == null) {
                model = kv[1].strip();
            }
        }
        return String.valueOf(cpu.path("family").asInt()).equals(family)
                && String.valueOf(cpu.path("model").asInt()).equals(model);
    }

    /** Runs {@code hir pretrain} on a configuration and checks that it succeeds. */
    private static void pretrain(Path config, Path out) {
        var err = new ByteArrayOutputStream();
        int status = HirCli.run(new String[] {"pretrain", "--config", config.toString(), "--out", out.toString()},
                new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    }
}
