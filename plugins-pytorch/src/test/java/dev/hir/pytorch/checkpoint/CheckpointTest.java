package dev.hir.pytorch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.testing.TinyTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void loadThenSaveIsBitIdentical() throws Exception {
        Path tokenizer = TinyTokenizer.write(dir.resolve("tok.json"));
        Gpt2Config config = Gpt2Config.of(2, 32, 4, 16, TinyTokenizer.vocabSize(), TinyTokenizer.endOfTextId());
        Path first = dir.resolve("ckpt/iter-1");
        try (Gpt2Model model = Gpt2Model.random(config, 1, manager)) {
            Checkpoint.write(first, model, Files.readAllBytes(tokenizer),
                    folder -> Files.writeString(folder.resolve("extra.json"), "{\"step\": 3}"));
        }
        Path second = dir.resolve("ckpt/iter-2");
        try (Gpt2Model loaded = Checkpoint.loadModel(first, manager)) {
            assertEquals(config, loaded.config());
            Checkpoint.write(second, loaded, Files.readAllBytes(first.resolve(Checkpoint.TOKENIZER)),
                    folder -> Files.copy(first.resolve("extra.json"), folder.resolve("extra.json")));
        }
        List<String> names = List.of("config.json", "model.safetensors", "tokenizer.json", "extra.json");
        for (String name : names) {
            assertArrayEquals(Files.readAllBytes(first.resolve(name)), Files.readAllBytes(second.resolve(name)), name);
        }
        try (Stream<Path> files = Files.list(dir.resolve("ckpt"))) {
            assertEquals(2, files.count(), "no temporary folder is left behind");
        }
        // Hugging Face's loader checks the format metadata; its writer pads the header to 8 bytes.
        byte[] weights = Files.readAllBytes(first.resolve(Checkpoint.WEIGHTS));
        long headerLength = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(weights, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"transformer.wte.weight\":"), header);
    }

    @Test
    void writingOverAnExistingFolderFailsAndLeavesItAlone() throws Exception {
        Path tokenizer = TinyTokenizer.write(dir.resolve("tok.json"));
        Path target = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        Gpt2Config config = Gpt2Config.of(1, 16, 2, 8, TinyTokenizer.vocabSize(), TinyTokenizer.endOfTextId());
        try (Gpt2Model model = Gpt2Model.random(config, 1, manager)) {
            byte[] bytes = Files.readAllBytes(tokenizer);
            assertThrows(InvalidInputException.class,
                    () -> Checkpoint.write(target, model, bytes, Checkpoint.ExtraFiles.none()));
        }
        assertEquals("mine", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void aFailingExtraFileLeavesNoCheckpoint() throws Exception {
        Path tokenizer = TinyTokenizer.write(dir.resolve("tok.json"));
        Gpt2Config config = Gpt2Config.of(1, 16, 2, 8, TinyTokenizer.vocabSize(), TinyTokenizer.endOfTextId());
        Path target = dir.resolve("out/ckpt");
        try (Gpt2Model model = Gpt2Model.random(config, 1, manager)) {
            byte[] bytes = Files.readAllBytes(tokenizer);
            assertThrows(RuntimeException.class, () -> Checkpoint.write(target, model, bytes, folder -> {
                throw new IOException("disk full");
            }));
        }
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(0, files.count(), "the temporary folder is removed");
        }
    }

    @Test
    void configJsonOfHuggingFaceGpt2IsReadAndRewrittenStably() throws Exception {
        Gpt2Config read = Gpt2Config.read(Path.of("src/test/resources/gpt2-tiny/config.json"));
        assertEquals(Gpt2Config.of(2, 16, 4, 16, 64, 63), read);
        Path written = dir.resolve("config.json");
        read.write(written);
        assertEquals(read, Gpt2Config.read(written));
        Path other = Files.writeString(dir.resolve("bad.json"), "{\"model_type\": \"llama\", \"n_layer\": 1}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Gpt2Config.read(other));
        assertTrue(e.getMessage().contains("llama"), e.getMessage());
    }
}
