package dev.hir.api;

import java.util.Map;

/**
 * What one optimizer step reports.
 *
 * @param loss the total loss of the step (mean over its sequences)
 * @param terms each loss term by name (e.g. {@code "nll"}, {@code "contrastive"}, {@code "entropy"})
 * @param tokens how many target tokens the step trained on
 * @param learningRate the learning rate the step used
 * @param gradientNorm the global gradient norm before clipping
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TrainingStats(
        double loss, Map<String, Double> terms, long tokens, double learningRate, double gradientNorm) {
    public TrainingStats {
        terms = Map.copyOf(terms);
    }
}
