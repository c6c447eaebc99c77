package dev.hir.core.eval;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Policy;
import dev.hir.core.progress.ProgressBar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Greedy accuracy (and optionally pass@k) of a policy on examples: the paper's evaluation (PAPER.md §5).
 */
public final class Evaluator {
    private final int batchSize;

    public Evaluator(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.batchSize = batchSize;
    }

    /**
     * Says how many reference answers are longer, in the policy's tokens, than {@code maxNewTokens}: greedy
     * outputs are cut before they could match them, so a low score there may be the limit, not the model
     * (word_sorting's longest answers take about 80 tokens of a 2,048-token BPE).
     *
     * @return a sentence naming the count and the longest answer's length; empty when every answer fits
     */
    public static Optional<String> referencesLongerThan(Policy policy, List<Example> examples, int maxNewTokens) {
        int longer = 0;
        int longest = 0;
        for (Example e : examples) {
            int n = policy.tokenPieces(e.target()).size();
            longest = Math.max(longest, n);
            longer += n > maxNewTokens ? 1 : 0;
        }
        if (longer == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "%d of %d reference answers are longer than max_new_tokens %d (the longest takes %d tokens): their"
                        + " outputs are cut before they can match", longer, examples.size(), maxNewTokens, longest));
    }

    /**
     * Evaluates a policy.
     *
     * @param prompt renders an example into the prompt it is asked under
     * @param greedy the greedy decoding settings (max new tokens, stop strings)
     * @param passAtK sampling settings for pass@k with k = numReturnSequences, or null for none
     */
    public EvaluationResult evaluate(
            Policy policy,
            List<Example> examples,
            FeedbackFunction feedback,
            Function<Example, String> prompt,
            GenerationConfig greedy,
            GenerationConfig passAtK,
            ProgressBar progress) {
        long start = System.nanoTime();
        int correct = 0;
        int malformed = 0;
        int passed = 0;
        long tokens = 0;
        var outputs = new ArrayList<EvaluationResult.Output>();
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> batch = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<String> prompts = batch.stream().map(prompt).toList();
            List<List<Generation>> out = policy.generate(prompts, greedy);
            List<List<Generation>> samples = passAtK == null ? null
                    : policy.generate(prompts, passAtK.withSeed(passAtK.seed() + from));
            for (int i = 0; i < batch.size(); i++) {
                Example e = batch.get(i);
                Generation g = out.get(i).get(0);
                tokens += g.tokens();
                Feedback f = feedback.evaluate(e, g.text());
                if (f.isCorrect()) {
                    correct++;
                } else if (f.verdict() == Feedback.Verdict.MALFORMED) {
                    malformed++;
                }
                outputs.add(new EvaluationResult.Output(e.id(), g.text(), f.verdict().name().toLowerCase(java.util.Locale.ROOT)));
                if (samples != null) {
                    boolean any = false;
                    for (Generation s : samples.get(i)) {
                        tokens += s.tokens();
                        any |= feedback.evaluate(e, s.text()).isCorrect();
                    }
                    passed += any ? 1 : 0;
                }
            }
            progress.step(batch.size());
            progress.status(String.format(java.util.Locale.ROOT, "acc %.3f", (double) correct / (from + batch.size())));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        OptionalDouble pass = passAtK == null || examples.isEmpty()
                ? OptionalDouble.empty() : OptionalDouble.of((double) passed / examples.size());
        return new EvaluationResult(examples.size(), correct, malformed, pass, tokens, seconds, outputs);
    }
}
