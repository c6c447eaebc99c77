package dev.hir.pytorch.sampling;

import dev.hir.api.Generation;

/**
 * One generated sequence with its tokens.
 *
 * @param tokens the generated token ids (including the end-of-sequence id if it was generated)
 * @param text the decoded text, without the end-of-sequence token and cut before a stop string
 * @param logProb the model's log-probability of {@code tokens} (before temperature, top-k and top-p)
 * @param finishReason why it ended
 */
public record Sample(int[] tokens, String text, double logProb, Generation.FinishReason finishReason) {
    /** As the SPI's {@link Generation}. */
    public Generation toGeneration() {
        return new Generation(text, tokens.length, Math.min(0.0, logProb), finishReason);
    }
}
