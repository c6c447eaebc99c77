package dev.hir.onnxruntime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.google.gson.Gson;
import dev.hir.api.InvalidInputException;
import dev.hir.onnxruntime.PythonFixture;
import dev.hir.onnxruntime.decode.DecoderSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter's file handling: atomic output, Hugging Face naming quirks, and corrupt checkpoints. */
class Gpt2OnnxExporterTest {
    @TempDir
    Path dir;

    /** A tensor to write: safetensors dtype, shape and raw bytes. */
    private record Blob(String dtype, long[] shape, byte[] bytes) {}

    /** Copies the fixture checkpoint with its tensors edited. */
    private Path checkpointWith(Consumer<Map<String, Blob>> edit) throws IOException {
        Safetensors source = Safetensors.read(PythonFixture.dir().resolve("model.safetensors"));
        Map<String, Blob> tensors = new LinkedHashMap<>();
        source.tensors().forEach((name, t) -> tensors.put(name, new Blob(t.dtype(), t.shape(),
                Arrays.copyOfRange(source.bytes(), t.offset(), t.offset() + t.length()))));
        edit.accept(tensors);
        Path out = Files.createDirectories(dir.resolve("checkpoint-" + System.nanoTime()));
        Files.copy(PythonFixture.dir().resolve("config.json"), out.resolve("config.json"));
        Files.copy(PythonFixture.dir().resolve("tokenizer.json"), out.resolve("tokenizer.json"));
        Map<String, Object> header = new LinkedHashMap<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Blob> e : tensors.entrySet()) {
            header.put(e.getKey(), Map.of("dtype", e.getValue().dtype(), "shape", e.getValue().shape(),
                    "data_offsets", List.of(data.size(), data.size() + e.getValue().bytes().length)));
            data.write(e.getValue().bytes());
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json).put(data.toByteArray());
        Files.write(out.resolve("model.safetensors"), file.array());
        return out;
    }

    @Test
    void writesTheModelAtomicallyAndOnnxRuntimeLoadsIt() throws IOException {
        Path target = dir.resolve("out").resolve(Gpt2OnnxExporter.MODEL_FILE);
        GptConfig config = Gpt2OnnxExporter.write(PythonFixture.dir(), target);
        assertEquals(2, config.nLayer());
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList(), "no temporary file may be left behind");
        }
        try (DecoderSession s = DecoderSession.open(Files.readAllBytes(target), new DecoderSession.Settings(1, OptLevel.BASIC_OPT), "t")) {
            assertEquals(2, s.layers());
        }
    }

    @Test
    void acceptsNamesWithoutPrefixAndSkipsAttentionMaskBuffers() throws IOException {
        Path checkpoint = checkpointWith(t -> {
            Map<String, Blob> renamed = new LinkedHashMap<>();
            t.forEach((name, b) -> renamed.put(name.substring("transformer.".length()), b));
            renamed.put("h.0.attn.bias", new Blob("U8", new long[] {1, 1, 2, 2}, new byte[] {1, 0, 1, 1}));
            t.clear();
            t.putAll(renamed);
        });
        byte[] fromRenamed = Gpt2OnnxExporter.export(checkpoint).onnx();
        assertTrue(Arrays.equals(Gpt2OnnxExporter.export(PythonFixture.dir()).onnx(), fromRenamed),
                "the same weights must give the same model");
    }

    @Test
    void missingTensorIsReportedWithFileAndName() throws IOException {
        Path checkpoint = checkpointWith(t -> t.remove("transformer.h.1.mlp.c_fc.bias"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(checkpoint));
        assertTrue(e.source().endsWith("model.safetensors"), e.oneLine());
        assertEquals("missing tensor 'transformer.h.1.mlp.c_fc.bias'", e.getMessage());
    }

    @Test
    void wrongShapeIsReportedWithFileAndName() throws IOException {
        Path checkpoint = checkpointWith(t -> {
            Blob b = t.get("transformer.h.0.attn.c_attn.weight");
            t.put("transformer.h.0.attn.c_attn.weight", new Blob("F32", new long[] {48, 16}, b.bytes()));
        });
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(checkpoint));
        assertEquals("tensor 'transformer.h.0.attn.c_attn.weight' has shape [48, 16], expected [16, 48]", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unexpectedTypeOrTensorIsReported() throws IOException {
        Path halves = checkpointWith(t -> {
            Blob b = t.get("transformer.ln_f.bias");
            t.put("transformer.ln_f.bias", new Blob("F16", new long[] {16}, Arrays.copyOf(b.bytes(), 32)));
        });
        assertTrue(assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(halves))
                .getMessage().contains("has type F16, expected F32"));
        Path extra = checkpointWith(t -> t.put("transformer.h.9.ln_1.weight", new Blob("F32", new long[] {1}, new byte[4])));
        assertEquals("unexpected tensor 'transformer.h.9.ln_1.weight'", assertThrows(InvalidInputException.class,
                () -> Gpt2OnnxExporter.export(extra)).getMessage());
    }

    @Test
    void truncatedWeightsOrBadConfigNameTheFile() throws IOException {
        Path checkpoint = checkpointWith(t -> {});
        byte[] bytes = Files.readAllBytes(checkpoint.resolve("model.safetensors"));
        Files.write(checkpoint.resolve("model.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(checkpoint));
        assertTrue(e.source().endsWith("model.safetensors") && e.getMessage().contains("outside the data section"), e.oneLine());

        Files.writeString(checkpoint.resolve("config.json"), "{\"n_layer\": 2, \"n_embd\": 16, \"n_head\": 4, \"vocab_size\": 257}");
        e = assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(checkpoint));
        assertTrue(e.source().endsWith("config.json"), e.oneLine());
        assertEquals("missing key 'n_positions'", e.getMessage());

        Files.writeString(checkpoint.resolve("config.json"),
                "{\"n_layer\": 2, \"n_embd\": 16, \"n_head\": 4, \"vocab_size\": 257, \"n_positions\": 64, \"activation_function\": \"relu\"}");
        e = assertThrows(InvalidInputException.class, () -> Gpt2OnnxExporter.export(checkpoint));
        assertTrue(e.getMessage().contains("activation_function 'relu'"), e.oneLine());
    }
}
