package dev.hir.onnxruntime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.hir.api.InvalidInputException;
import java.util.Locale;
import java.util.Optional;

/**
 * Configuration of the {@code onnxruntime} policy. Give a {@code checkpoint} (exported to ONNX when the
 * policy is created), or a {@code model} exported elsewhere, or neither: then the policy waits for its first
 * {@link dev.hir.api.ReloadablePolicy#reload} (what {@code hir run} does with a rollout policy).
 *
 * @param checkpoint a checkpoint folder in the Hugging Face layout (config.json, model.safetensors,
 *     tokenizer.json), or the name of a shipped model
 * @param model a decoder-with-past ONNX file (inputs input_ids, attention_mask, position_ids,
 *     past_key_values.*; outputs logits, present.*) with a GPT-2 config.json in its folder
 * @param tokenizer the model's tokenizer.json; default: tokenizer.json next to {@code model}; only with model
 * @param intraOpThreads ONNX Runtime's threads inside an operator; default 0: the run's compute threads
 *     (sampling and training never run at the same time, so the rollout engine may use all of them)
 * @param optimizationLevel {@code all} (default), {@code extended}, {@code basic} or {@code none}
 * @param maxBatchSize the most sequences decoded or scored together; default 64
 * @param contextOverflow {@code truncate-left} (default: keep a long prompt's last tokens, with a warning)
 *     or {@code error}
 */
public record OnnxRuntimePolicyConfig(
        String checkpoint,
        String model,
        String tokenizer,
        Integer intraOpThreads,
        String optimizationLevel,
        Integer maxBatchSize,
        String contextOverflow) {

    public OnnxRuntimePolicyConfig {
        if (checkpoint != null && model != null) {
            throw new InvalidInputException("model", "give either checkpoint or model, not both");
        }
        if (tokenizer != null && model == null) {
            throw new InvalidInputException("tokenizer", "only with model; a checkpoint brings its own tokenizer.json");
        }
        intraOpThreads = intraOpThreads == null ? 0 : intraOpThreads;
        if (intraOpThreads < 0) {
            throw new InvalidInputException("intraOpThreads", "must be >= 1, or 0 for the run's compute threads, got " + intraOpThreads);
        }
        optimizationLevel = optimizationLevel == null ? "all" : optimizationLevel;
        level("optimizationLevel", optimizationLevel);
        maxBatchSize = maxBatchSize == null ? 64 : maxBatchSize;
        if (maxBatchSize < 1) {
            throw new InvalidInputException("maxBatchSize", "must be >= 1, got " + maxBatchSize);
        }
        contextOverflow = contextOverflow == null ? "truncate-left" : contextOverflow;
        if (!contextOverflow.equals("truncate-left") && !contextOverflow.equals("error")) {
            throw new InvalidInputException("contextOverflow", "must be 'truncate-left' or 'error', got '" + contextOverflow + "'");
        }
    }

    /** No model yet: the first {@code reload} brings one. */
    public static OnnxRuntimePolicyConfig empty() {
        return new OnnxRuntimePolicyConfig(null, null, null, null, null, null, null);
    }

    /** A checkpoint folder, everything else default. */
    public static OnnxRuntimePolicyConfig ofCheckpoint(String checkpoint) {
        return new OnnxRuntimePolicyConfig(checkpoint, null, null, null, null, null, null);
    }

    /** An ONNX file exported elsewhere and its tokenizer. */
    public static OnnxRuntimePolicyConfig ofModel(String model, String tokenizer) {
        return new OnnxRuntimePolicyConfig(null, model, tokenizer, null, null, null, null);
    }

    /** A copy with another batch size. */
    public OnnxRuntimePolicyConfig withMaxBatchSize(int rows) {
        return new OnnxRuntimePolicyConfig(checkpoint, model, tokenizer, intraOpThreads, optimizationLevel, rows, contextOverflow);
    }

    /** A copy with another overflow policy. */
    public OnnxRuntimePolicyConfig withContextOverflow(String overflow) {
        return new OnnxRuntimePolicyConfig(checkpoint, model, tokenizer, intraOpThreads, optimizationLevel, maxBatchSize, overflow);
    }

    Optional<String> checkpointIfGiven() {
        return Optional.ofNullable(checkpoint);
    }

    Optional<String> modelIfGiven() {
        return Optional.ofNullable(model);
    }

    Optional<String> tokenizerIfGiven() {
        return Optional.ofNullable(tokenizer);
    }

    boolean truncateLeft() {
        return contextOverflow.equals("truncate-left");
    }

    OptLevel optLevel() {
        return level("optimizationLevel", optimizationLevel);
    }

    private static OptLevel level(String field, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "all" -> OptLevel.ALL_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "none" -> OptLevel.NO_OPT;
            default -> throw new InvalidInputException(field, "must be all, extended, basic or none, got '" + name + "'");
        };
    }
}
