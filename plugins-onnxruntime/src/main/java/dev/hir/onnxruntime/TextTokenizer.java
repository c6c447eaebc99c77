package dev.hir.onnxruntime;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's tokenizers binding, used exactly as the PyTorch
 * policy uses it (no special tokens added, no padding or truncation; decoding drops special tokens), so
 * both policies see the same ids and texts.
 */
final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final byte[] json;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, byte[] json) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.json = json;
    }

    /** Loads a {@code tokenizer.json} whose bytes were read by the caller. */
    static TextTokenizer load(Path file, byte[] bytes) {
        String source = file.toString();
        int maxId = -1;
        try {
            JsonElement parsed = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("model")) {
                throw new InvalidInputException(source, "not a Hugging Face tokenizer.json (no 'model')");
            }
            JsonObject root = parsed.getAsJsonObject();
            JsonElement vocab = root.getAsJsonObject("model").get("vocab");
            if (vocab != null && vocab.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                    maxId = Math.max(maxId, e.getValue().getAsInt());
                }
            }
            JsonElement added = root.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement t : added.getAsJsonArray()) {
                    maxId = Math.max(maxId, t.getAsJsonObject().get("id").getAsInt());
                }
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            throw new InvalidInputException(source, "not a valid tokenizer.json: " + e.getMessage(), e);
        }
        if (maxId < 0) {
            throw new InvalidInputException(source, "the tokenizer has no vocabulary");
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optPadding(false)
                    .optTruncation(false)
                    .build();
            return new TextTokenizer(tokenizer, maxId + 1, bytes);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source, "the tokenizers library rejects it: " + e.getMessage(), e);
        }
    }

    /** The file's bytes, to tell whether another checkpoint has the same tokenizer. */
    byte[] json() {
        return json;
    }

    int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    /** The text of each token; the pieces concatenate to the text (a token inside a character gets ""). */
    List<String> pieces(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        List<String> pieces = new ArrayList<>(spans.length);
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

    /** The number of token ids. */
    int vocabSize() {
        return vocabSize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
