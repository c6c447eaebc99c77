package dev.hir.pytorch.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face {@code tokenizer.json} (GPT-2's own or one of the project's byte-level BPE files) through
 * DJL's tokenizers binding: no special tokens are added, and nothing is padded or truncated here.
 */
public final class HfTextTokenizer implements TextTokenizer {
    /** GPT-2's end-of-text token, used when no id is given. */
    public static final String GPT2_END_OF_TEXT = "<|endoftext|>";

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int endOfSequenceId;

    private HfTextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, int endOfSequenceId) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.endOfSequenceId = endOfSequenceId;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param endOfSequenceId the id to use, or empty for the id of {@code <|endoftext|>} in the file
     */
    public static HfTextTokenizer load(Path file, Optional<Integer> endOfSequenceId) {
        String source = file.toString();
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("model")) {
                throw new InvalidInputException(source, "not a Hugging Face tokenizer.json (no 'model')");
            }
            json = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new InvalidInputException(source, "not valid JSON: " + e.getMessage(), e);
        }
        int maxId = -1;
        Integer endOfText = null;
        JsonElement vocab = json.getAsJsonObject("model").get("vocab");
        if (vocab != null && vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                int id = e.getValue().getAsInt();
                maxId = Math.max(maxId, id);
                if (e.getKey().equals(GPT2_END_OF_TEXT)) {
                    endOfText = id;
                }
            }
        }
        JsonElement added = json.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) {
                int id = t.getAsJsonObject().get("id").getAsInt();
                maxId = Math.max(maxId, id);
                if (t.getAsJsonObject().get("content").getAsString().equals(GPT2_END_OF_TEXT)) {
                    endOfText = id;
                }
            }
        }
        if (maxId < 0) {
            throw new InvalidInputException(source, "the tokenizer has no vocabulary");
        }
        int eos;
        if (endOfSequenceId.isPresent()) {
            eos = endOfSequenceId.get();
        } else if (endOfText != null) {
            eos = endOfText;
        } else {
            throw new InvalidInputException(source, "no " + GPT2_END_OF_TEXT + " token and no end-of-sequence id given");
        }
        if (eos < 0 || eos > maxId) {
            throw new InvalidInputException(source, "end-of-sequence id " + eos + " is outside the vocabulary");
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optPadding(false)
                    .optTruncation(false)
                    .build();
            return new HfTextTokenizer(tokenizer, maxId + 1, eos);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source, "the tokenizers library rejects it: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    @Override
    public List<String> pieces(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        List<String> pieces = new ArrayList<>(spans.length);
        // Byte-level tokens can split a character; each piece takes the text up to its token's end, so the
        // pieces always concatenate to the text (a token inside a character gets an empty piece).
        int at = 0;
        for (int i = 0; i < spans.length; i++) {
            int end = spans[i] == null ? at : Math.max(at, Math.min(text.length(), spans[i].getEnd()));
            if (i == spans.length - 1) {
                end = text.length();
            }
            pieces.add(text.substring(at, end));
            at = end;
        }
        if (at < text.length()) {
            pieces.add(text.substring(at));
        }
        return pieces;
    }

    /**
     * The end (exclusive character offset) of each token of {@code text}, as many as {@link #encode} gives
     * ids, non-decreasing; a token inside a character ends where the previous one did, and the last ends
     * at the text's end (as {@link #pieces} does).
     */
    public int[] tokenEnds(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] ends = new int[spans.length];
        int at = 0;
        for (int i = 0; i < spans.length; i++) {
            at = spans[i] == null ? at : Math.max(at, Math.min(text.length(), spans[i].getEnd()));
            ends[i] = i == spans.length - 1 ? text.length() : at;
        }
        return ends;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int endOfSequenceId() {
        return endOfSequenceId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
