package dev.hir.api;

import java.util.Objects;

/**
 * A prompt and a continuation to score with {@link Policy#logProbs}.
 *
 * @param prompt the context
 * @param continuation the text whose log-probability is wanted, given the prompt
 * @param endOfSequence whether the end-of-sequence token after the continuation is scored too
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Continuation(String prompt, String continuation, boolean endOfSequence) {
    public Continuation {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(continuation, "continuation");
    }
}
