package dev.hir.pytorch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt and hostile weight files must give a clear input error, never an OOM or a native crash. */
class SafetensorsFileTest {
    private static final Gpt2Config CONFIG = Gpt2Config.of(1, 16, 2, 8, 40, 39);
    private static NDManager manager;

    @TempDir
    Path dir;

    private Path valid;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @BeforeEach
    void writeValidFile() throws Exception {
        valid = dir.resolve("model.safetensors");
        try (Gpt2Model model = Gpt2Model.random(CONFIG, 5, manager)) {
            Checkpoint.writeWeights(valid, model);
        }
    }

    @Test
    void validFileLoads() {
        try (Gpt2Model model = Checkpoint.loadWeights(CONFIG, valid, manager)) {
            assertEquals(CONFIG.parameterCount(), model.parameters().stream().mapToLong(a -> a.size()).sum());
        }
    }

    @Test
    void halfPrecisionWeightsAreWidenedToFloat32() throws Exception {
        Path half = dir.resolve("half.safetensors");
        try (Gpt2Model model = Gpt2Model.random(CONFIG, 5, manager); NDManager scratch = manager.newSubManager()) {
            NDList list = new NDList();
            for (var e : model.namedParameters().entrySet()) {
                NDArray h = e.getValue().toType(DataType.FLOAT16, true);
                h.attach(scratch);
                // Without the prefix, as files on the hub name them.
                h.setName(e.getKey().substring(Gpt2Model.PREFIX.length()));
                list.add(h);
            }
            SafetensorsFile.write(half, list);
            try (Gpt2Model loaded = Checkpoint.loadWeights(CONFIG, half, manager)) {
                for (var e : model.namedParameters().entrySet()) {
                    NDArray got = loaded.namedParameters().get(e.getKey());
                    assertEquals(DataType.FLOAT32, got.getDataType());
                    assertTrue(got.allClose(e.getValue(), 1e-3, 1e-4, false), e.getKey());
                }
            }
        }
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws Exception {
        Path file = withHeaderLength(1_000_000L);
        assertRejected(file, "runs past the end of the file");
    }

    @Test
    void hugeHeaderLengthDoesNotAllocate() throws Exception {
        assertRejected(withHeaderLength(Long.MAX_VALUE - 3), "runs past the end of the file");
        assertRejected(withHeaderLength(-1L), "runs past the end of the file");
    }

    @Test
    void fileShorterThanTheHeaderLength() throws Exception {
        Path file = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertRejected(file, "shorter than the 8-byte header length");
    }

    @Test
    void headerThatIsNotJson() throws Exception {
        assertRejected(craft("{\"a\": [", new byte[0]), "not valid JSON");
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        assertRejected(edit(h -> offsets(h, "transformer.ln_f.bias", 0, 1_000_000_000_000L)),
                "transformer.ln_f.bias", "run past the end of the data");
    }

    @Test
    void overlappingOffsets() throws Exception {
        assertRejected(edit(h -> {
            JsonArray a = h.getAsJsonObject("transformer.ln_f.weight").getAsJsonArray("data_offsets");
            offsets(h, "transformer.ln_f.bias", a.get(0).getAsLong(), a.get(1).getAsLong());
        }), "overlap");
    }

    @Test
    void offsetsThatDisagreeWithTheShape() throws Exception {
        assertRejected(edit(h -> {
            JsonArray a = h.getAsJsonObject("transformer.ln_f.bias").getAsJsonArray("data_offsets");
            offsets(h, "transformer.ln_f.bias", a.get(0).getAsLong(), a.get(0).getAsLong() + 8);
        }), "transformer.ln_f.bias", "needs 64 bytes");
    }

    @Test
    void wrongDtypeForAParameter() throws Exception {
        // Same byte size, so only the type check can catch it.
        assertRejected(edit(h -> h.getAsJsonObject("transformer.ln_f.bias").addProperty("dtype", "I32")),
                "transformer.ln_f.bias", "dtype I32");
        assertRejected(edit(h -> h.getAsJsonObject("transformer.ln_f.bias").addProperty("dtype", "Q4")),
                "transformer.ln_f.bias", "unknown dtype");
    }

    @Test
    void wrongShapeForAParameter() throws Exception {
        assertRejected(edit(h -> {
            JsonArray shape = new JsonArray();
            shape.add(4);
            shape.add(4);
            h.getAsJsonObject("transformer.ln_f.bias").add("shape", shape);
        }), "transformer.ln_f.bias", "shape");
    }

    @Test
    void missingParameter() throws Exception {
        assertRejected(edit(h -> h.remove("transformer.h.0.mlp.c_fc.bias")), "transformer.h.0.mlp.c_fc.bias", "missing");
    }

    @Test
    void unknownTensor() throws Exception {
        assertRejected(edit(h -> {
            JsonObject e = h.remove("transformer.ln_f.bias").getAsJsonObject();
            h.add("transformer.ln_g.bias", e);
        }), "transformer.ln_g.bias");
    }

    @Test
    void truncatedData() throws Exception {
        byte[] bytes = Files.readAllBytes(valid);
        Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 100));
        assertRejected(cut, "truncated");
    }

    @Test
    void negativeAndOverflowingShapes() throws Exception {
        assertRejected(edit(h -> {
            JsonArray shape = new JsonArray();
            shape.add(Long.MAX_VALUE / 2);
            shape.add(Long.MAX_VALUE / 2);
            h.getAsJsonObject("transformer.ln_f.bias").add("shape", shape);
        }), "transformer.ln_f.bias", "too large");
        assertRejected(edit(h -> {
            JsonArray shape = new JsonArray();
            shape.add(-16);
            h.getAsJsonObject("transformer.ln_f.bias").add("shape", shape);
        }), "transformer.ln_f.bias", "negative");
    }

    private void assertRejected(Path file, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Checkpoint.loadWeights(CONFIG, file, manager).close());
        assertEquals(file.toString(), e.source());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    private Path withHeaderLength(long length) throws Exception {
        byte[] bytes = Files.readAllBytes(valid);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return Files.write(dir.resolve("length.safetensors"), bytes);
    }

    private Path edit(Consumer<JsonObject> change) throws Exception {
        byte[] bytes = Files.readAllBytes(valid);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) n, StandardCharsets.UTF_8)).getAsJsonObject();
        change.accept(header);
        return craft(header.toString(), Arrays.copyOfRange(bytes, 8 + (int) n, bytes.length));
    }

    private Path craft(String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(data);
        return Files.write(dir.resolve("crafted.safetensors"), out.array());
    }

    private static void offsets(JsonObject header, String name, long begin, long end) {
        JsonArray a = new JsonArray();
        a.add(begin);
        a.add(end);
        header.getAsJsonObject(name).add("data_offsets", a);
    }
}
