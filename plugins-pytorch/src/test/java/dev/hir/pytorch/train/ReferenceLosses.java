package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hir.api.Objective;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The objectives computed another way, for tests: one unpadded forward pass per (prompt, target) pair,
 * then every formula written out literally in plain Java doubles, following PAPER.md §3 term by term
 * (no deduplication of prompts, no vectorization, no masks).
 */
final class ReferenceLosses {

    private ReferenceLosses() {}

    /** {@code [n][V]}: the log-softmax rows that predict each target token after the prompt. */
    static double[][] logProbs(CausalLm model, NDManager manager, int[] prompt, int[] target) {
        int length = prompt.length + target.length - 1;
        long[] ids = new long[length];
        for (int i = 0; i < prompt.length; i++) {
            ids[i] = prompt[i];
        }
        for (int j = 0; j < target.length - 1; j++) {
            ids[prompt.length + j] = target[j];
        }
        int vocab = model.vocabSize();
        double[] logits;
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.create(ids, new Shape(1, length));
            NDArray mask = sub.ones(new Shape(1, length));
            logits = model.logits(input, mask).toType(DataType.FLOAT64, false).toDoubleArray();
        }
        double[][] rows = new double[target.length][vocab];
        for (int j = 0; j < target.length; j++) {
            int base = (prompt.length - 1 + j) * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[base + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[base + v] - max);
            }
            double logZ = max + Math.log(sum);
            for (int v = 0; v < vocab; v++) {
                rows[j][v] = logits[base + v] - logZ;
            }
        }
        return rows;
    }

    static double sequenceLogProb(double[][] rows, int[] target) {
        double s = 0;
        for (int j = 0; j < target.length; j++) {
            s += rows[j][target[j]];
        }
        return s;
    }

    static double meanNll(double[][] rows, int[] target) {
        return -sequenceLogProb(rows, target) / target.length;
    }

    static double meanEntropy(double[][] rows) {
        double total = 0;
        for (double[] row : rows) {
            double h = 0;
            for (double lp : row) {
                h -= Math.exp(lp) * lp;
            }
            total += h;
        }
        return total / rows.length;
    }

    static double nll(CausalLm model, NDManager manager, List<EncodedSequence> batch) {
        double sum = 0;
        for (EncodedSequence s : batch) {
            sum += s.weight() * meanNll(logProbs(model, manager, s.promptIds(), s.targetIds()), s.targetIds());
        }
        return sum / batch.size();
    }

    /** Label-smoothed NLL of one sequence, literally (1−ε)·nll + ε·mean over the smoothing set. */
    static double smoothedNll(double[][] rows, EncodedSequence s, Objective.Hir hir) {
        double eps = hir.labelSmoothing();
        Set<Integer> answers = new HashSet<>();
        for (int a : s.answerTokenIds()) {
            answers.add(a);
        }
        boolean vocabulary = hir.smoothing() == Objective.Smoothing.VOCABULARY || answers.isEmpty();
        double total = 0;
        for (int j = 0; j < rows.length; j++) {
            int label = s.targetIds()[j];
            double nll = -rows[j][label];
            double smooth = 0;
            double e;
            if (vocabulary) {
                for (double lp : rows[j]) {
                    smooth -= lp / rows[j].length;
                }
                e = eps;
            } else {
                for (int a : answers) {
                    smooth -= rows[j][a] / answers.size();
                }
                e = answers.contains(label) ? eps : 0.0;
            }
            total += (1 - e) * nll + e * smooth;
        }
        return total / rows.length;
    }

    /** The HIR loss, with the contrastive term of either form, as PAPER.md §3 writes it. */
    static double hir(CausalLm model, NDManager manager, List<EncodedSequence> batch, Objective.Hir hir) {
        double sum = 0;
        for (int i = 0; i < batch.size(); i++) {
            EncodedSequence s = batch.get(i);
            double[][] own = logProbs(model, manager, s.promptIds(), s.targetIds());
            double perSequence = smoothedNll(own, s, hir);
            double contrastive = 0;
            if (hir.contrastive() == Objective.Contrastive.BATCH) {
                double pii = sequenceLogProb(own, s.targetIds());
                double denominator = 0;
                for (EncodedSequence k : batch) {
                    double pik = sequenceLogProb(logProbs(model, manager, k.promptIds(), s.targetIds()), s.targetIds());
                    denominator += Math.exp(pik);
                }
                contrastive = -Math.log(Math.exp(pii) / denominator);
            } else if (!s.contrastPromptIds().isEmpty()) {
                double eps = hir.labelSmoothing();
                double pPos = Math.exp(-meanNll(own, s.targetIds()));
                double[][] neg = logProbs(model, manager, s.contrastPromptIds().get(0), s.targetIds());
                double pNeg = Math.exp(-meanNll(neg, s.targetIds()));
                contrastive = -(1 - eps) * Math.log(pPos / (pPos + pNeg) + 1e-8)
                        - eps * Math.log(pNeg / (pPos + pNeg) + 1e-8);
            }
            perSequence += hir.contrastiveWeight() * contrastive;
            perSequence -= hir.entropyWeight() * meanEntropy(own);
            sum += s.weight() * perSequence;
        }
        return sum / batch.size();
    }

    /** GRPO: group-normalized advantages, clipped sequence ratio, k3 KL. */
    static double groupRelative(CausalLm model, Optional<CausalLm> reference, NDManager manager,
            List<EncodedSequence> batch, Objective.GroupRelative objective) {
        double sum = 0;
        for (int i = 0; i < batch.size(); i++) {
            EncodedSequence s = batch.get(i);
            List<Double> rewards = new ArrayList<>();
            for (EncodedSequence o : batch) {
                if (o.group().equals(s.group())) {
                    rewards.add(o.weight());
                }
            }
            double advantage = 0;
            if (rewards.size() > 1) {
                double mean = rewards.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double var = rewards.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / (rewards.size() - 1);
                advantage = (s.weight() - mean) / (Math.sqrt(var) + 1e-4);
            }
            double[][] rows = logProbs(model, manager, s.promptIds(), s.targetIds());
            double logp = sequenceLogProb(rows, s.targetIds());
            double old = s.behaviorLogProb().orElse(logp);
            double ratio = Math.exp(Math.max(-20, Math.min(20, logp - old)));
            double clipped = Math.max(1 - objective.clipRange(), Math.min(1 + objective.clipRange(), ratio));
            double pg = -Math.min(ratio * advantage, clipped * advantage) / s.targetIds().length;
            double kl = 0;
            if (objective.klWeight() > 0) {
                double[][] ref = logProbs(reference.orElseThrow(), manager, s.promptIds(), s.targetIds());
                for (int j = 0; j < s.targetIds().length; j++) {
                    double d = ref[j][s.targetIds()[j]] - rows[j][s.targetIds()[j]];
                    kl += Math.exp(d) - d - 1;
                }
                kl /= s.targetIds().length;
            }
            sum += pg + objective.klWeight() * kl;
        }
        return sum / batch.size();
    }
}
