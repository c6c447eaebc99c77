package dev.hir.pytorch.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The sizes of a GPT-2 model, read from and written as a Hugging Face GPT-2 {@code config.json}.
 *
 * @param nLayer number of transformer blocks
 * @param nEmbd width of the residual stream
 * @param nHead attention heads; divides {@code nEmbd}
 * @param nPositions context length (learned position table size)
 * @param vocabSize token ids are in {@code [0, vocabSize)}
 * @param nInner width of the MLP's hidden layer ({@code 4 * nEmbd} in GPT-2)
 * @param layerNormEpsilon ε of every layer norm
 * @param bosTokenId beginning-of-sequence id
 * @param eosTokenId end-of-sequence id
 * @param activation the MLP's activation ({@code activation_function})
 */
public record Gpt2Config(
        int nLayer,
        int nEmbd,
        int nHead,
        int nPositions,
        int vocabSize,
        int nInner,
        double layerNormEpsilon,
        int bosTokenId,
        int eosTokenId,
        Activation activation) {

    public Gpt2Config {
        positive("n_layer", nLayer);
        positive("n_embd", nEmbd);
        positive("n_head", nHead);
        positive("n_positions", nPositions);
        positive("vocab_size", vocabSize);
        positive("n_inner", nInner);
        if (nEmbd % nHead != 0) {
            throw new InvalidInputException("n_head", "n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        }
        if (!(layerNormEpsilon > 0.0) || !Double.isFinite(layerNormEpsilon)) {
            throw new InvalidInputException("layer_norm_epsilon", "must be > 0, got " + layerNormEpsilon);
        }
        if (bosTokenId < 0 || bosTokenId >= vocabSize) {
            throw new InvalidInputException("bos_token_id", "must be in [0, " + vocabSize + "), got " + bosTokenId);
        }
        if (eosTokenId < 0 || eosTokenId >= vocabSize) {
            throw new InvalidInputException("eos_token_id", "must be in [0, " + vocabSize + "), got " + eosTokenId);
        }
        Objects.requireNonNull(activation, "activation");
    }

    /** A config with GPT-2's conventions: MLP width {@code 4 * nEmbd}, ε 1e-5, BOS = EOS, {@code gelu_new}. */
    public static Gpt2Config of(int nLayer, int nEmbd, int nHead, int nPositions, int vocabSize, int eosTokenId) {
        return new Gpt2Config(nLayer, nEmbd, nHead, nPositions, vocabSize, 4 * nEmbd, 1e-5, eosTokenId, eosTokenId,
                Activation.GELU_NEW);
    }

    /** This config with another MLP activation. */
    public Gpt2Config withActivation(Activation other) {
        return new Gpt2Config(nLayer, nEmbd, nHead, nPositions, vocabSize, nInner, layerNormEpsilon, bosTokenId,
                eosTokenId, other);
    }

    /** The width of one attention head. */
    public int headSize() {
        return nEmbd / nHead;
    }

    /** The number of trainable parameters (the tied LM head counted once). */
    public long parameterCount() {
        long d = nEmbd;
        long perBlock = 2 * d + d * 3 * d + 3 * d + d * d + d + 2 * d + d * nInner + nInner + (long) nInner * d + d;
        return (long) vocabSize * d + (long) nPositions * d + nLayer * perBlock + 2 * d;
    }

    /**
     * Reads a Hugging Face GPT-2 {@code config.json}. Keys this model does not use (architectures, dropout
     * rates, task parameters) are ignored; options that would change the computation and that this
     * implementation lacks are rejected rather than silently ignored.
     */
    public static Gpt2Config read(Path file) {
        String source = file.toString();
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new InvalidInputException(source, "config.json must hold a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new InvalidInputException(source, "not valid JSON: " + e.getMessage(), e);
        }
        String modelType = optString(json, "model_type", "gpt2");
        if (!modelType.equals("gpt2")) {
            throw new InvalidInputException(source, "model_type '" + modelType + "' is not gpt2");
        }
        Activation activation = Activation.fromConfigName(optString(json, "activation_function", "gelu_new"), source);
        requireFlag(json, source, "scale_attn_weights", true);
        requireFlag(json, source, "scale_attn_by_inverse_layer_idx", false);
        requireFlag(json, source, "reorder_and_upcast_attn", false);
        try {
            int nEmbd = requiredInt(json, source, "n_embd");
            int vocab = requiredInt(json, source, "vocab_size");
            JsonElement inner = json.get("n_inner");
            int nInner = inner == null || inner.isJsonNull() ? 4 * nEmbd : inner.getAsInt();
            int eos = optInt(json, "eos_token_id", vocab - 1);
            return new Gpt2Config(
                    requiredInt(json, source, "n_layer"),
                    nEmbd,
                    requiredInt(json, source, "n_head"),
                    requiredInt(json, source, "n_positions"),
                    vocab,
                    nInner,
                    json.has("layer_norm_epsilon") ? json.get("layer_norm_epsilon").getAsDouble() : 1e-5,
                    optInt(json, "bos_token_id", eos),
                    eos,
                    activation);
        } catch (InvalidInputException e) {
            throw e.source().equals(source) ? e : new InvalidInputException(source, e.source() + " " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidInputException(source, "malformed value: " + e.getMessage(), e);
        }
    }

    /** Writes this config as a Hugging Face GPT-2 {@code config.json} (fixed key order, so bytes are stable). */
    public void write(Path file) throws IOException {
        Files.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code config.json} text. */
    public String toJson() {
        return String.join("\n",
                "{",
                "  \"activation_function\": \"" + activation.configName() + "\",",
                "  \"architectures\": [\"GPT2LMHeadModel\"],",
                "  \"attn_pdrop\": 0.0,",
                "  \"bos_token_id\": " + bosTokenId + ",",
                "  \"embd_pdrop\": 0.0,",
                "  \"eos_token_id\": " + eosTokenId + ",",
                "  \"initializer_range\": 0.02,",
                "  \"layer_norm_epsilon\": " + formatDouble(layerNormEpsilon) + ",",
                "  \"model_type\": \"gpt2\",",
                "  \"n_embd\": " + nEmbd + ",",
                "  \"n_head\": " + nHead + ",",
                "  \"n_inner\": " + nInner + ",",
                "  \"n_layer\": " + nLayer + ",",
                "  \"n_positions\": " + nPositions + ",",
                "  \"resid_pdrop\": 0.0,",
                "  \"tie_word_embeddings\": true,",
                "  \"vocab_size\": " + vocabSize,
                "}",
                "");
    }

    private static String formatDouble(double v) {
        // Shortest round-trip form; JSON has no 'E' restriction but HF writes e.g. 1e-05.
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidInputException(field, "must be > 0, got " + value);
        }
    }

    private static int requiredInt(JsonObject json, String source, String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            throw new InvalidInputException(source, "missing key '" + key + "'");
        }
        return e.getAsInt();
    }

    private static int optInt(JsonObject json, String key, int fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static String optString(JsonObject json, String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static void requireFlag(JsonObject json, String source, String key, boolean supported) {
        JsonElement e = json.get(key);
        if (e != null && !e.isJsonNull() && e.getAsBoolean() != supported) {
            throw new InvalidInputException(source, key + " = " + !supported + " is not supported");
        }
    }
}
