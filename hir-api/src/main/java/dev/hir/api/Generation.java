package dev.hir.api;

import java.util.Objects;

/**
 * One generated sample.
 *
 * @param text the generated text, without the prompt, the end-of-sequence token or a stop string
 * @param tokens how many tokens were generated (including the end-of-sequence token if one was)
 * @param logProb the sum of the log-probabilities of the generated tokens under the sampling distribution
 *     before temperature, top-k and top-p were applied (the model's own log-probability), &lt;= 0
 * @param finishReason why generation stopped
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Generation(String text, int tokens, double logProb, FinishReason finishReason) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0");
        }
    }

    /** Why a sample ended. */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum FinishReason {
        /** The model produced its end-of-sequence token. */
        END_OF_SEQUENCE,
        /** A stop string appeared. */
        STOP_STRING,
        /** {@link GenerationConfig#maxNewTokens()} was reached. */
        LENGTH
    }
}
