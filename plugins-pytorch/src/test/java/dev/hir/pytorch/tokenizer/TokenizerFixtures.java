package dev.hir.pytorch.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared test inputs: the BIG-Bench-Hard texts as a corpus, DJL's tokenizer, a reference BPE encoder. */
final class TokenizerFixtures {
    private static List<String> bbhTexts;

    private TokenizerFixtures() {}

    /** The inputs and targets of every BIG-Bench-Hard example, in file-name order. */
    static synchronized List<String> bbhTexts() {
        if (bbhTexts == null) {
            String prop = System.getProperty("bbh.dir");
            Path dir = prop != null ? Path.of(prop) : Path.of("../../shared/data/bbh");
            if (!Files.isDirectory(dir)) {
                dir = Path.of("../shared/data/bbh");
            }
            List<String> texts = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    JsonObject root = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
                    for (JsonElement e : root.getAsJsonArray("examples")) {
                        texts.add(e.getAsJsonObject().get("input").getAsString());
                        texts.add(e.getAsJsonObject().get("target").getAsString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("BIG-Bench-Hard data not found at " + dir.toAbsolutePath(), e);
            }
            bbhTexts = List.copyOf(texts);
        }
        return bbhTexts;
    }

    /** The BIG-Bench-Hard texts cut into lines, empty lines dropped. */
    static List<String> bbhLines() {
        List<String> lines = new ArrayList<>();
        for (String t : bbhTexts()) {
            for (String line : t.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** DJL's Hugging Face tokenizer on a tokenizer.json, with nothing added, padded or cut. */
    static HuggingFaceTokenizer load(Path tokenizerJson) throws IOException {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false)
                .optPadding(false)
                .optTruncation(false)
                .build();
    }

    /**
     * The tokens a BPE encoder should give for {@code text} (no special tokens in it): GPT-2 pieces, bytes,
     * then, per piece, the adjacent pair with the lowest merge rank merged first (leftmost on ties) until no
     * pair has a rank. Written independently of the trainer, as a second opinion on what the encoder does.
     */
    static List<String> referenceTokens(ByteLevelBpe bpe, String text) {
        Map<String, Integer> rank = new HashMap<>();
        for (int r = 0; r < bpe.merges().size(); r++) {
            rank.put(bpe.merges().get(r).left() + " " + bpe.merges().get(r).right(), r);
        }
        List<String> out = new ArrayList<>();
        for (String piece : Gpt2PreTokenizer.pieces(text)) {
            List<String> symbols = new ArrayList<>();
            for (char c : ByteLevelAlphabet.encode(piece).toCharArray()) {
                symbols.add(String.valueOf(c));
            }
            while (true) {
                int bestAt = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    Integer r = rank.get(symbols.get(i) + " " + symbols.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        bestAt = i;
                    }
                }
                if (bestAt < 0) {
                    break;
                }
                symbols.set(bestAt, symbols.get(bestAt) + symbols.remove(bestAt + 1));
            }
            out.addAll(symbols);
        }
        return out;
    }
}
