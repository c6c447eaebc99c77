package dev.hir.pytorch.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTest {
    /** The merges of the hand-written GPT-2-format file in the test resources. */
    private static final List<ByteLevelBpe.Merge> HAND_MERGES = List.of(
            new ByteLevelBpe.Merge("t", "h"),
            new ByteLevelBpe.Merge("th", "e"),
            new ByteLevelBpe.Merge("Ġ", "c"),
            new ByteLevelBpe.Merge("Ġc", "a"),
            new ByteLevelBpe.Merge("a", "t"));

    @TempDir
    Path dir;

    @Test
    void byteAlphabetIsGpt2sTable() {
        assertEquals('Ā', ByteLevelAlphabet.charOf(0));
        assertEquals('Ċ', ByteLevelAlphabet.charOf('\n'));
        assertEquals('Ġ', ByteLevelAlphabet.charOf(' '));
        assertEquals('!', ByteLevelAlphabet.charOf('!'));
        assertEquals('~', ByteLevelAlphabet.charOf('~'));
        assertEquals('ġ', ByteLevelAlphabet.charOf(0x7F));
        assertEquals('ł', ByteLevelAlphabet.charOf(0xA0));
        assertEquals('¡', ByteLevelAlphabet.charOf(0xA1));
        assertEquals('Ń', ByteLevelAlphabet.charOf(0xAD));
        assertEquals('ÿ', ByteLevelAlphabet.charOf(0xFF));
        Set<Character> chars = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.charOf(b);
            assertTrue(chars.add(c), "duplicate for byte " + b);
            assertEquals(b, ByteLevelAlphabet.byteOf(c));
            assertTrue(!Character.isWhitespace(c) && !Character.isISOControl(c), "not printable: byte " + b);
        }
        assertEquals(-1, ByteLevelAlphabet.byteOf(' '));
        assertEquals(-1, ByteLevelAlphabet.byteOf('Ņ'));
        assertEquals("ĠcafÃ©ĊðŁĺĢ", ByteLevelAlphabet.encode(" café\n😀"));
        assertEquals(" café\n😀", ByteLevelAlphabet.decode("ĠcafÃ©ĊðŁĺĢ"));
    }

    @Test
    void handWrittenGpt2FormatTokenizerLoadsAndEncodesAsExpected() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getResourceAsStream("gpt2-style-tokenizer.json")) {
            Files.copy(in, file);
        }
        try (HuggingFaceTokenizer tok = TokenizerFixtures.load(file)) {
            // "Ġ c" outranks "a t", so " cat" becomes "Ġca" + "t", not "Ġc" + "at"; "hat" has no "h a" merge.
            assertArrayEquals(new long[] {7, 9, 4}, tok.encode("the cat").getIds());
            assertArrayEquals(new String[] {"h", "at"}, tok.encode("hat").getTokens());
            assertArrayEquals(new long[] {7, 11, 9, 4}, tok.encode("the<|endoftext|> cat").getIds());
            assertEquals("the cat", tok.decode(new long[] {7, 9, 4}));
            assertEquals("the cat", tok.decode(new long[] {7, 11, 9, 4}));
        }
        // Our writer, given the same merges, produces a file that splits text the same way (ids differ:
        // our layout puts specials and all 256 bytes first).
        ByteLevelBpe ours = new ByteLevelBpe(List.of("<|endoftext|>"), HAND_MERGES);
        Path oursFile = dir.resolve("ours/tokenizer.json");
        ours.writeTokenizerJson(oursFile);
        try (HuggingFaceTokenizer hand = TokenizerFixtures.load(file);
                HuggingFaceTokenizer tok = TokenizerFixtures.load(oursFile)) {
            // Only letters of the hand-written vocabulary: without an unk token the library drops the others.
            for (String text : List.of("the cat", "hat", "thecat that ate the", " the  cat  ")) {
                assertEquals(Arrays.asList(hand.encode(text).getTokens()), Arrays.asList(tok.encode(text).getTokens()));
            }
            assertEquals(List.of(257 + 1, 257 + 3, 257 - 256 + 't'),
                    Arrays.stream(tok.encode("the cat").getIds()).boxed().map(Long::intValue).toList());
        }
    }

    @Test
    void tokenizerJsonHasHuggingFaceGpt2Shape() {
        ByteLevelBpe bpe = new ByteLevelBpe(List.of("<|endoftext|>", "<|pad|>"), HAND_MERGES);
        JsonObject root = JsonParser.parseString(bpe.toTokenizerJson()).getAsJsonObject();
        JsonObject model = root.getAsJsonObject("model");
        assertEquals("BPE", model.get("type").getAsString());
        assertTrue(model.get("unk_token").isJsonNull());
        assertEquals(false, model.get("byte_fallback").getAsBoolean());
        JsonObject vocab = model.getAsJsonObject("vocab");
        assertEquals(2 + 256 + 5, vocab.size());
        assertEquals(0, vocab.get("<|endoftext|>").getAsInt());
        assertEquals(1, vocab.get("<|pad|>").getAsInt());
        assertEquals(2 + ' ', vocab.get("Ġ").getAsInt());
        assertEquals(2 + 256 + 4, vocab.get("at").getAsInt());
        JsonArray merges = model.getAsJsonArray("merges");
        assertEquals("Ġc a", merges.get(3).getAsString());
        for (String part : List.of("pre_tokenizer", "decoder", "post_processor")) {
            JsonObject o = root.getAsJsonObject(part);
            assertEquals("ByteLevel", o.get("type").getAsString());
            assertEquals(false, o.get("add_prefix_space").getAsBoolean(), part);
        }
        assertEquals(true, root.getAsJsonObject("pre_tokenizer").get("use_regex").getAsBoolean());
        JsonArray added = root.getAsJsonArray("added_tokens");
        assertEquals(2, added.size());
        assertEquals("<|pad|>", added.get(1).getAsJsonObject().get("content").getAsString());
        assertEquals(1, added.get(1).getAsJsonObject().get("id").getAsInt());
        assertEquals(true, added.get(1).getAsJsonObject().get("special").getAsBoolean());
    }

    @Test
    void specialTokenWithQuotesAndControlsIsEscapedAndLoads() throws Exception {
        ByteLevelBpe bpe = new ByteLevelBpe(List.of("<\"eos\\\t\u0001>", "<pad 😀>"), List.of());
        Path file = dir.resolve("tokenizer.json");
        bpe.writeTokenizerJson(file);
        JsonObject vocab = JsonParser.parseString(Files.readString(file)).getAsJsonObject()
                .getAsJsonObject("model").getAsJsonObject("vocab");
        assertEquals(0, vocab.get("<\"eos\\\t\u0001>").getAsInt());
        try (HuggingFaceTokenizer tok = TokenizerFixtures.load(file)) {
            assertArrayEquals(new long[] {1, 0}, tok.encode("<pad 😀><\"eos\\\t\u0001>").getIds());
        }
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("out/tokenizer.json");
        ByteLevelBpe small = new ByteLevelBpe(List.of("<|endoftext|>"), List.of());
        ByteLevelBpe larger = new ByteLevelBpe(List.of("<|endoftext|>"), HAND_MERGES);
        small.writeTokenizerJson(file);
        larger.writeTokenizerJson(file);
        assertEquals(larger.toTokenizerJson(), Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void invalidVocabulariesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe(List.of("x", "x"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe(List.of("!"), List.of()));
        // "th" before "t h" exists: a merge must only use tokens made earlier.
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe(List.of("<|endoftext|>"),
                List.of(new ByteLevelBpe.Merge("th", "e"), new ByteLevelBpe.Merge("t", "h"))));
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe(List.of("<|endoftext|>"),
                List.of(new ByteLevelBpe.Merge("t", "h"), new ByteLevelBpe.Merge("t", "h"))));
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe.Merge("a b", "c"));
        assertThrows(IllegalArgumentException.class, () -> new ByteLevelBpe.Merge("", "c"));
    }
}
