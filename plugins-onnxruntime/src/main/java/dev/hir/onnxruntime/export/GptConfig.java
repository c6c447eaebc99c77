package dev.hir.onnxruntime.export;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sizes of a GPT-2 model as its Hugging Face {@code config.json} gives them. Options that would change
 * the computation and that the exported graph does not implement are rejected, not ignored.
 *
 * @param nLayer transformer blocks
 * @param nEmbd width of the residual stream
 * @param nHead attention heads, dividing {@code nEmbd}
 * @param nPositions context length
 * @param vocabSize token ids are in {@code [0, vocabSize)}
 * @param nInner width of the MLP's hidden layer
 * @param layerNormEpsilon ε of every layer norm
 * @param bosTokenId beginning-of-sequence id
 * @param eosTokenId end-of-sequence id
 * @param exactGelu whether the MLP's activation is the exact GELU ({@code activation_function: "gelu"}) rather than
 *     GPT-2's tanh approximation ({@code gelu_new}, also spelled {@code gelu_pytorch_tanh})
 */
public record GptConfig(
        int nLayer,
        int nEmbd,
        int nHead,
        int nPositions,
        int vocabSize,
        int nInner,
        double layerNormEpsilon,
        int bosTokenId,
        int eosTokenId,
        boolean exactGelu) {

    /** The width of one attention head. */
    public int headSize() {
        return nEmbd / nHead;
    }

    /** Reads a Hugging Face GPT-2 {@code config.json}; a bad file or value names the file and the key. */
    public static GptConfig read(Path file) {
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
        String modelType = string(json, source, "model_type", "gpt2");
        if (!modelType.equals("gpt2")) {
            throw new InvalidInputException(source, "model_type '" + modelType + "' is not gpt2");
        }
        String activation = string(json, source, "activation_function", "gelu_new");
        boolean exactGelu = activation.equals("gelu");
        if (!exactGelu && !activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new InvalidInputException(source,
                    "activation_function '" + activation + "' is not supported (gelu_new, gelu_pytorch_tanh or gelu)");
        }
        flag(json, source, "scale_attn_weights", true);
        flag(json, source, "scale_attn_by_inverse_layer_idx", false);
        flag(json, source, "reorder_and_upcast_attn", false);
        int nEmbd = positive(json, source, "n_embd", null);
        int vocab = positive(json, source, "vocab_size", null);
        int nHead = positive(json, source, "n_head", null);
        if (nEmbd % nHead != 0) {
            throw new InvalidInputException(source, "n_head " + nHead + " does not divide n_embd " + nEmbd);
        }
        int eos = id(json, source, "eos_token_id", vocab - 1, vocab);
        double eps = 1e-5;
        JsonElement e = json.get("layer_norm_epsilon");
        if (e != null && !e.isJsonNull()) {
            eps = number(e, source, "layer_norm_epsilon").doubleValue();
            if (!(eps > 0) || !Double.isFinite(eps)) {
                throw new InvalidInputException(source, "layer_norm_epsilon must be > 0, got " + eps);
            }
        }
        return new GptConfig(
                positive(json, source, "n_layer", null),
                nEmbd,
                nHead,
                positive(json, source, "n_positions", null),
                vocab,
                positive(json, source, "n_inner", 4 * nEmbd),
                eps,
                id(json, source, "bos_token_id", eos, vocab),
                eos,
                exactGelu);
    }

    private static int positive(JsonObject json, String source, String key, Integer fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            if (fallback == null) {
                throw new InvalidInputException(source, "missing key '" + key + "'");
            }
            return fallback;
        }
        Number n = number(e, source, key);
        if (n.doubleValue() != n.intValue() || n.intValue() <= 0) {
            throw new InvalidInputException(source, key + " must be a positive integer, got " + e);
        }
        return n.intValue();
    }

    private static int id(JsonObject json, String source, String key, int fallback, int vocab) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        Number n = number(e, source, key);
        if (n.doubleValue() != n.intValue() || n.intValue() < 0 || n.intValue() >= vocab) {
            throw new InvalidInputException(source, key + " must be an id in [0, " + vocab + "), got " + e);
        }
        return n.intValue();
    }

    private static Number number(JsonElement e, String source, String key) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new InvalidInputException(source, key + " must be a number, got " + e);
        }
        return e.getAsNumber();
    }

    private static String string(JsonObject json, String source, String key, String fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InvalidInputException(source, key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static void flag(JsonObject json, String source, String key, boolean supported) {
        JsonElement e = json.get(key);
        if (e != null && !e.isJsonNull()) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw new InvalidInputException(source, key + " must be true or false, got " + e);
            }
            if (e.getAsBoolean() != supported) {
                throw new InvalidInputException(source, key + " = " + !supported + " is not supported");
            }
        }
    }
}
