package dev.hir.onnxruntime;

import dev.hir.api.Generation;
import dev.hir.api.Generation.FinishReason;

/**
 * One generated sample with its token ids.
 *
 * @param tokens the generated ids, including the end-of-sequence id if one was generated
 * @param text the decoded text, cut before a stop string
 * @param logProb the sum of the model's log-probabilities of the tokens
 * @param finishReason why it ended
 */
record Sample(int[] tokens, String text, double logProb, FinishReason finishReason) {
    Generation toGeneration() {
        return new Generation(text, tokens.length, Math.min(0.0, logProb), finishReason);
    }
}
