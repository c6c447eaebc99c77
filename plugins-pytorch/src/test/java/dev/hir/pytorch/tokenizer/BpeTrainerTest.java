package dev.hir.pytorch.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    private static final int VOCAB = 1024;

    @TempDir
    static Path dir;

    private static List<String> corpus;
    private static BpeTrainer.Result trained;
    private static Path tokenizerJson;
    private static HuggingFaceTokenizer djl;

    @BeforeAll
    static void trainOnBigBenchHard() throws Exception {
        // Every third text of all tasks: varied enough for 1024 tokens, small enough to encode fast in tests.
        List<String> all = TokenizerFixtures.bbhTexts();
        corpus = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 3) {
            corpus.add(all.get(i));
        }
        trained = new BpeTrainer(BpeTrainer.Config.ofVocabSize(VOCAB)).train(corpus);
        tokenizerJson = dir.resolve("tokenizer.json");
        trained.vocabulary().writeTokenizerJson(tokenizerJson);
        djl = TokenizerFixtures.load(tokenizerJson);
    }

    @AfterAll
    static void closeTokenizer() {
        if (djl != null) {
            djl.close();
        }
    }

    @Test
    void vocabularyHasTheRequestedSize() throws Exception {
        assertEquals(VOCAB, trained.vocabulary().vocabSize());
        assertEquals(VOCAB - 1 - 256, trained.vocabulary().merges().size());
        JsonObject model = JsonParser.parseString(Files.readString(tokenizerJson)).getAsJsonObject()
                .getAsJsonObject("model");
        assertEquals(VOCAB, model.getAsJsonObject("vocab").size());
        assertEquals(VOCAB - 1 - 256, model.getAsJsonArray("merges").size());
        // The highest id is reachable through the encoder: the last merge's token encodes to it.
        ByteLevelBpe.Merge last = trained.vocabulary().merges().get(VOCAB - 1 - 256 - 1);
        String lastText = ByteLevelAlphabet.decode(last.token());
        long[] ids = djl.encode(lastText).getIds();
        assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < VOCAB), Arrays.toString(ids));
    }

    @Test
    void anyTextRoundTripsWithoutUnknownTokens() {
        List<String> texts = new ArrayList<>(List.of(
                "",
                " ",
                "   leading and trailing   ",
                "\n\nnew\r\nlines\n\t tabs\t\n",
                "Today is Christmas Eve of 1937. What is the date tomorrow in MM/DD/YYYY?",
                "naïve café, Straße, Ελληνικά, русский, 日本語のテキスト, العربية, עברית",
                "emoji 😀👍🏽 👨‍👩‍👧‍👦 and flags 🇩🇪 and a lone ZWJ \u200d",
                "zero\u0000byte, bell\u0007, DEL\u007f, NBSP\u00a0, soft hyphen\u00ad, LS\u2028PS\u2029",
                "I'm sure they'll've done it, isn't it? 'S 'T"));
        Random random = new Random(42);
        for (int n = 0; n < 50; n++) {
            texts.add(randomCodePoints(random, 1 + random.nextInt(40)));
            byte[] bytes = new byte[1 + random.nextInt(60)];
            random.nextBytes(bytes);
            texts.add(new String(bytes, StandardCharsets.ISO_8859_1)); // every byte value as a character
            texts.add(new String(bytes, StandardCharsets.UTF_8)); // invalid sequences become U+FFFD
        }
        for (String text : texts) {
            Encoding e = djl.encode(text);
            long[] ids = e.getIds();
            assertTrue(Arrays.stream(ids).allMatch(id -> id > 0 && id < VOCAB), () -> "ids of " + text);
            assertEquals(text, djl.decode(ids), () -> "round trip of " + escape(text));
            assertEquals(ByteLevelAlphabet.encode(text), String.join("", e.getTokens()), () -> escape(text));
        }
    }

    @Test
    void mergesCompressTheCorpus() {
        assertTrue(trained.tokensPerChar() < 0.5 * trained.byteTokensPerChar(),
                () -> trained.tokensPerChar() + " tokens/char vs " + trained.byteTokensPerChar() + " with bytes");
        // What the encoder actually produces agrees with what training counted.
        long djlTokens = 0;
        long chars = 0;
        for (String text : corpus) {
            djlTokens += djl.encode(text).getIds().length;
            chars += text.codePointCount(0, text.length());
        }
        assertEquals(trained.corpusChars(), chars);
        assertEquals(trained.corpusTokens(), djlTokens);
    }

    @Test
    void djlEncoderGivesTheTokensTrainingIntended() {
        List<String> texts = new ArrayList<>(corpus.subList(0, 200));
        texts.add("Unseen words: antidisestablishmentarianism, 3.14159, x²+y²=z², \"quotes\" — dashes…");
        texts.add("Whitespace\u3000ideographic\u2003em\u00a0nbsp \u0085nel  \t\n  end");
        texts.add("Mixed1234abc!!!??? ...--- 'll've'd");
        for (String text : texts) {
            assertEquals(TokenizerFixtures.referenceTokens(trained.vocabulary(), text),
                    Arrays.asList(djl.encode(text).getTokens()), () -> escape(text));
        }
    }

    @Test
    void trainedFileWorksAsThePolicysTextTokenizer() {
        try (TextTokenizer tok = HfTextTokenizer.load(tokenizerJson, Optional.empty())) {
            assertEquals(VOCAB, tok.vocabSize());
            assertEquals(trained.vocabulary().endOfSequenceId(), tok.endOfSequenceId());
            String text = "Options:\n(A) 12/25/1937\n(B) naïve 😀  ";
            assertEquals(text, tok.decode(tok.encode(text)));
            assertEquals(text, String.join("", tok.pieces(text)));
        }
    }

    @Test
    void unusualWhitespaceAndScriptsSplitAsTheEncoderSplitsThem() throws Exception {
        // A vocabulary whose merges live on the edges the regex decides: Unicode spaces, NEL, digits after
        // letters, marks, CJK; if our split differed from the library's, its tokens would differ from ours.
        List<String> texts = List.of(
                "word\u00a0word\u3000word\u2003x\u0085y  \u00a0 z\t\u00a0\n",
                "x² ½ ٣٤ ⅷ abc123def 4.5e10 ça-ira l'été",
                "e\u0301 n\u0303 \u0928\u093f \u05d0\u05b8 日本語\u3000です。 한국어 ｆｕｌｌ",
                "I'M YOU'RE it's 'tis  'll \r\n\r\n\t\t end   ");
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            corpus.addAll(texts);
        }
        ByteLevelBpe bpe = new BpeTrainer(new BpeTrainer.Config(700, 1, null, null)).train(corpus).vocabulary();
        for (String text : texts) {
            // Training ran until every piece is one token, so the encoder's tokens are the pieces of its split.
            assertEquals(Gpt2PreTokenizer.pieces(text).stream().map(ByteLevelAlphabet::encode).toList(),
                    TokenizerFixtures.referenceTokens(bpe, text));
        }
        Path file = dir.resolve("unicode/tokenizer.json");
        bpe.writeTokenizerJson(file);
        try (HuggingFaceTokenizer tok = TokenizerFixtures.load(file)) {
            for (String text : texts) {
                assertEquals(TokenizerFixtures.referenceTokens(bpe, text), Arrays.asList(tok.encode(text).getTokens()),
                        () -> escape(text));
                assertEquals(text, tok.decode(tok.encode(text).getIds()));
            }
        }
    }

    @Test
    void sameCorpusGivesByteIdenticalTokenizerJson() throws Exception {
        List<String> corpus = TokenizerFixtures.bbhTexts().subList(0, 600);
        BpeTrainer trainer = new BpeTrainer(BpeTrainer.Config.ofVocabSize(700));
        Path a = dir.resolve("a/tokenizer.json");
        Path b = dir.resolve("b/tokenizer.json");
        trainer.train(corpus).vocabulary().writeTokenizerJson(a);
        trainer.train(corpus).vocabulary().writeTokenizerJson(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        // Only counts matter, so the order of the texts does not either.
        List<String> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, new Random(7));
        assertArrayEquals(Files.readAllBytes(a),
                trainer.train(shuffled).vocabulary().toTokenizerJson().getBytes(StandardCharsets.UTF_8));
        // A different corpus learns something else: the test can fail.
        assertNotEquals(trainer.train(TokenizerFixtures.bbhTexts().subList(600, 1200)).vocabulary(),
                trainer.train(corpus).vocabulary());
    }

    @Test
    void specialTokensAreSingleTokensThatDecodeDrops() throws Exception {
        BpeTrainer.Config config = new BpeTrainer.Config(300, 1, null, List.of("<|pad|>"));
        List<String> corpus = List.of("one<|endoftext|>two<|endoftext|>", "three<|pad|><|pad|>", "<|endoftext|>");
        BpeTrainer.Result result = new BpeTrainer(config).train(corpus);
        assertEquals(List.of("<|endoftext|>", "<|pad|>"), result.vocabulary().specialTokens());
        // Training never sees the special tokens' characters, only the text between them.
        assertEquals("onetwothree".length(), result.corpusChars());
        assertTrue(result.vocabulary().merges().stream().noneMatch(m -> m.token().contains("|")),
                () -> result.vocabulary().merges().toString());
        Path file = dir.resolve("specials/tokenizer.json");
        result.vocabulary().writeTokenizerJson(file);
        try (HuggingFaceTokenizer tok = TokenizerFixtures.load(file)) {
            long[] ids = tok.encode("one<|endoftext|>two<|pad|>").getIds();
            assertEquals(0L, ids[indexOf(tok.encode("one<|endoftext|>two<|pad|>").getTokens(), "<|endoftext|>")]);
            assertEquals(1L, ids[ids.length - 1]);
            assertEquals("onetwo", tok.decode(ids));
            assertEquals("one<|endoftext|>two<|pad|>", tok.decode(ids, false));
        }
    }

    @Test
    void mergeThatWouldSpellASpecialTokenIsNeverMade() throws Exception {
        // Text never holds a special token (it is cut out first), but its byte-level spelling can: " ab" is "Ġab".
        BpeTrainer.Config config = new BpeTrainer.Config(270, 1, null, List.of("Ġab"));
        ByteLevelBpe bpe = new BpeTrainer(config).train(List.of("x ab ab ab ab")).vocabulary();
        assertEquals(1, bpe.tokens().indexOf("Ġab"));
        assertEquals(1, bpe.tokens().lastIndexOf("Ġab"));
        assertTrue(bpe.tokens().contains("Ġa"), bpe.tokens().subList(258, bpe.vocabSize()).toString());
        Path file = dir.resolve("byte-level-special/tokenizer.json");
        bpe.writeTokenizerJson(file);
        try (HuggingFaceTokenizer tok = TokenizerFixtures.load(file)) {
            assertEquals(List.of("x", "Ġa", "b"), Arrays.asList(tok.encode("x ab").getTokens()));
            assertEquals("x ab", tok.decode(tok.encode("x ab").getIds()));
        }
    }

    @Test
    void stopsEarlyWhenNoPairIsFrequentEnough() {
        BpeTrainer.Result result = new BpeTrainer(BpeTrainer.Config.ofVocabSize(4096))
                .train(List.of("aaaa", "xyz"));
        // "aaaa" is one word: (a,a) three times -> "aa" twice -> (aa,aa) once, below the minimum of 2.
        assertEquals(List.of(new ByteLevelBpe.Merge("a", "a")), result.vocabulary().merges());
        assertEquals(258, result.vocabulary().vocabSize());
        assertEquals(2 + 3, result.corpusTokens());
        BpeTrainer.Result empty = new BpeTrainer(BpeTrainer.Config.defaults()).train(List.of());
        assertEquals(257, empty.vocabulary().vocabSize());
        assertEquals(0.0, empty.tokensPerChar());
    }

    @Test
    void invalidConfigNamesTheField() {
        assertEquals("vocabSize",
                assertThrows(InvalidInputException.class, () -> BpeTrainer.Config.ofVocabSize(256)).source());
        assertEquals("vocabSize", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, null, List.of("<pad>", "<mask>", "<sep>",
                        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b1", "b2", "b3", "b4", "b5", "b6",
                        "b7", "b8", "b9", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "d1", "d2", "d3",
                        "d4", "d5", "d6", "d7", "d8", "d9", "e1", "e2", "e3", "e4", "e5"))).source());
        assertEquals("minPairFrequency", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, 0, null, null)).source());
        assertEquals("endOfSequenceToken", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, "", null)).source());
        assertEquals("endOfSequenceToken", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, "Ġ", null)).source());
        assertEquals("extraSpecialTokens", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, null, List.of("<|endoftext|>"))).source());
        assertEquals("extraSpecialTokens", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, null, Arrays.asList("<pad>", null))).source());
        assertEquals("extraSpecialTokens", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, null, List.of("Ġ"))).source());
        assertEquals("extraSpecialTokens", assertThrows(InvalidInputException.class,
                () -> new BpeTrainer.Config(300, null, null, List.of("bad\ud800"))).source());
        BpeTrainer.Config defaults = BpeTrainer.Config.defaults();
        assertEquals(2048, defaults.vocabSize());
        assertEquals(2, defaults.minPairFrequency());
        assertEquals(List.of("<|endoftext|>"), defaults.specialTokens());
    }

    @Test
    void trainsFourThousandTokensOnAllOfBigBenchHardInSeconds() {
        List<String> texts = TokenizerFixtures.bbhTexts();
        // Warm the JIT on a slice so the timing reflects the algorithm, not class loading.
        new BpeTrainer(BpeTrainer.Config.ofVocabSize(600)).train(texts.subList(0, 500));
        BpeTrainer.Result r = new BpeTrainer(BpeTrainer.Config.ofVocabSize(4096)).train(texts);
        System.out.printf("BPE 4096 on %d BBH texts (%d chars, %d distinct words): %d ms, %.3f tokens/char"
                        + " (bytes: %.3f)%n",
                texts.size(), r.corpusChars(), r.distinctWords(), r.elapsed().toMillis(), r.tokensPerChar(),
                r.byteTokensPerChar());
        assertEquals(4096, r.vocabulary().vocabSize());
        assertTrue(r.corpusChars() > 1_000_000, "corpus chars " + r.corpusChars());
        // Seconds on a quiet machine; the bound leaves room for a busy shared CI box.
        assertTrue(r.elapsed().toSeconds() < 30, "took " + r.elapsed());
        assertTrue(r.tokensPerChar() < trained.tokensPerChar(), "a larger vocabulary compresses more");

        List<String> lines = TokenizerFixtures.bbhLines();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < lines.size() && sample.size() < 5000; i += lines.size() / 5000) {
            sample.add(lines.get(i));
        }
        BpeTrainer.Result fromLines = new BpeTrainer(BpeTrainer.Config.ofVocabSize(2048)).train(sample);
        System.out.printf("BPE 2048 on %d BBH lines, every %dth (%d chars): %d ms, %.3f tokens/char, vocab %d%n",
                sample.size(), lines.size() / 5000, fromLines.corpusChars(), fromLines.elapsed().toMillis(),
                fromLines.tokensPerChar(), fromLines.vocabulary().vocabSize());
        assertEquals(5000, sample.size());
        assertTrue(fromLines.tokensPerChar() < 0.5, "tokens/char " + fromLines.tokensPerChar());
    }

    private static int indexOf(String[] tokens, String token) {
        return Arrays.asList(tokens).indexOf(token);
    }

    private static String randomCodePoints(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.codePointCount(0, sb.length()) < n) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> random.nextInt(0x800);
                case 2 -> random.nextInt(0x10000);
                default -> 0x10000 + random.nextInt(0x100000);
            };
            if (cp < 0xD800 || cp > 0xDFFF) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp)
                : String.format("\\u{%x}", cp)));
        return sb.toString();
    }
}
