package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Policy} plugin passes, against its real engine. Provide a small policy
 * (a tiny random model is enough): the checks are about semantics, not quality.
 */
public abstract class PolicyContract {

    /** The plugin's factory. */
    protected abstract PolicyFactory<?> factory();

    /** A fresh small policy; the suite closes it. */
    protected abstract Policy createPolicy();

    /** Prompts the policy's tokenizer can encode. */
    protected List<String> prompts() {
        return List.of("Q: 1 + 1\nA:", "Q: Which is first, (A) or (B)?\nA:", "x");
    }

    private Policy policy;

    @BeforeEach
    void open() {
        policy = createPolicy();
    }

    @AfterEach
    void close() {
        policy.close();
    }

    @Test
    void factoryIsWellFormedAndDiscoverable() {
        PluginFactoryChecks.checkShape(factory());
        PluginFactoryChecks.checkDiscoverable(PolicyFactory.class, factory());
    }

    @Test
    void returnsNSamplesPerPromptInOrder() {
        var cfg = GenerationConfig.sampling(3, 1.0, 5, 11);
        List<List<Generation>> out = policy.generate(prompts(), cfg);
        assertEquals(prompts().size(), out.size());
        for (List<Generation> samples : out) {
            assertEquals(3, samples.size());
            for (Generation g : samples) {
                assertTrue(g.tokens() <= 5, "more tokens than maxNewTokens: " + g);
                assertTrue(g.logProb() <= 1e-6, "log-probability above 0: " + g);
            }
        }
    }

    @Test
    void emptyPromptListGivesEmptyResult() {
        assertTrue(policy.generate(List.of(), GenerationConfig.greedy(3)).isEmpty());
    }

    @Test
    void sameSeedGivesSameSamples() {
        var cfg = GenerationConfig.sampling(4, 1.0, 6, 123);
        assertEquals(policy.generate(prompts(), cfg), policy.generate(prompts(), cfg));
    }

    @Test
    void greedyIsDeterministicAndIndependentOfBatching() {
        var cfg = GenerationConfig.greedy(6);
        List<List<Generation>> batched = policy.generate(prompts(), cfg);
        for (int i = 0; i < prompts().size(); i++) {
            List<List<Generation>> single = policy.generate(List.of(prompts().get(i)), cfg);
            assertEquals(batched.get(i).get(0).text(), single.get(0).get(0).text(), "prompt " + i);
        }
    }

    @Test
    void greedyOutputScoresAtLeastAsHighAsAnySample() {
        String prompt = prompts().get(0);
        Generation greedy = policy.generate(List.of(prompt), GenerationConfig.greedy(1)).get(0).get(0);
        List<Generation> samples = policy.generate(List.of(prompt), GenerationConfig.sampling(8, 1.0, 1, 5)).get(0);
        for (Generation s : samples) {
            assertTrue(greedy.logProb() >= s.logProb() - 1e-4, "greedy first token is not the most likely");
        }
    }

    @Test
    void logProbsMatchGenerationAndAreAdditive() {
        String prompt = prompts().get(0);
        Generation g = policy.generate(List.of(prompt), GenerationConfig.sampling(1, 1.0, 4, 3)).get(0).get(0);
        boolean eos = g.finishReason() == Generation.FinishReason.END_OF_SEQUENCE;
        double[] lp = policy.logProbs(List.of(new Continuation(prompt, g.text(), eos)));
        assertEquals(g.logProb(), lp[0], 1e-3, "log-probability of a sample differs from the one reported");
        double[] parts = policy.logProbs(List.of(
                new Continuation(prompt, "", false), new Continuation(prompt, g.text(), false)));
        assertEquals(0.0, parts[0], 1e-9, "an empty continuation has log-probability 0");
        assertTrue(parts[1] <= 0.0);
    }

    @Test
    void stopStringsCutTheText() {
        var cfg = GenerationConfig.sampling(6, 1.5, 8, 99);
        List<Generation> free = policy.generate(List.of(prompts().get(0)), cfg).get(0);
        // Pick a character that occurred in some sample, and stop on it.
        String stop = free.stream().map(Generation::text).filter(t -> !t.isEmpty())
                .map(t -> t.substring(0, 1)).findFirst().orElse(null);
        if (stop == null) {
            return;
        }
        for (Generation g : policy.generate(List.of(prompts().get(0)), cfg.withStopStrings(List.of(stop))).get(0)) {
            assertFalse(g.text().contains(stop), "stop string kept in: " + g.text());
        }
    }

    @Test
    void tokenPiecesConcatenateToTheText() {
        for (String p : prompts()) {
            assertEquals(p, String.join("", policy.tokenPieces(p)));
        }
    }
}
