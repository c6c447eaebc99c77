package dev.hir.api;

import java.util.List;

/**
 * A language model that answers prompts: the policy of HIR's online sampling and evaluation.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #generate} returns one list per prompt, in prompt order, each with exactly
 *       {@link GenerationConfig#numReturnSequences()} samples; it is reproducible for a given seed,
 *       prompts and weights on the same machine.</li>
 *   <li>A prompt longer than the model's context is handled as the plugin's configuration says
 *       (truncate with a warning, or fail with {@link InvalidInputException}).</li>
 *   <li>Not thread-safe: one thread at a time. The creator owns the policy and closes it; closing releases
 *       native memory and the policy may not be used afterwards.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Policy extends AutoCloseable {

    /** Generates samples for each prompt. */
    List<List<Generation>> generate(List<String> prompts, GenerationConfig config);

    /**
     * The log-probability of each continuation given its prompt (sum over its tokens), in input order.
     * Each value is &lt;= 0.
     */
    double[] logProbs(List<Continuation> continuations);

    /** Splits a text into the model's token pieces; the pieces concatenate to the text exactly. */
    List<String> tokenPieces(String text);

    /** Frees native resources. Idempotent. */
    @Override
    void close();
}
