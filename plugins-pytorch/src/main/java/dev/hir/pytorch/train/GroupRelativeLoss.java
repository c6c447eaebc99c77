package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hir.api.Objective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group-relative policy gradient (GRPO-style).
 *
 * <ul>
 *   <li>Advantages: each sequence's weight is its reward; within its {@link EncodedSequence#group()},
 *       {@code A_i = (r_i − mean) / (std + 1e-4)} with the sample standard deviation; a group of one has
 *       advantage 0. Groups are read from the whole batch, so micro-batching does not change them.</li>
 *   <li>Ratio: {@code ρ_i = exp(log p(o_i) − behaviorLogProb_i)} over the whole target (the behaviour
 *       log-prob is per sequence), the log-ratio clamped to ±20 so it cannot overflow; without a
 *       behaviour log-prob the sequence is on-policy ({@code ρ = 1}, gradient {@code ∇log p}).</li>
 *   <li>Surrogate: {@code pg_i = −min(ρ_i A_i, clip(ρ_i, 1−c, 1+c) A_i) / |o_i|}; dividing by the target
 *       length makes the on-policy gradient GRPO's token-mean {@code A_i · mean_t ∇log p(o_it)}.</li>
 *   <li>KL (when {@code klWeight > 0}): the k3 estimator {@code exp(d) − d − 1}, {@code d = log p_ref − log p}
 *       per target token, averaged over the target, against a frozen reference model.</li>
 * </ul>
 *
 * <p>Loss {@code (1/B) Σ_i (pg_i + klWeight·kl_i)}. Terms: {@code pg}, {@code kl} (when computed),
 * {@code nll} (mean token NLL, for reference) and {@code clip_fraction} (share of sequences whose ratio
 * is outside {@code [1−c, 1+c]}).
 */
final class GroupRelativeLoss implements ObjectiveLoss {

    private static final double STD_EPSILON = 1e-4;
    private static final double MAX_LOG_RATIO = 20.0;

    private final Objective.GroupRelative objective;
    private final Optional<CausalLm> reference;

    GroupRelativeLoss(Objective.GroupRelative objective, Optional<CausalLm> reference) {
        this.objective = objective;
        this.reference = reference;
    }

    /** Group-normalized advantages of a whole batch. */
    static double[] advantages(List<EncodedSequence> batch) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).group(), g -> new ArrayList<>()).add(i);
        }
        double[] advantages = new double[batch.size()];
        for (List<Integer> members : groups.values()) {
            if (members.size() < 2) {
                continue;
            }
            double mean = 0.0;
            for (int i : members) {
                mean += batch.get(i).weight();
            }
            mean /= members.size();
            double squares = 0.0;
            for (int i : members) {
                double d = batch.get(i).weight() - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / (members.size() - 1));
            for (int i : members) {
                advantages[i] = (batch.get(i).weight() - mean) / (std + STD_EPSILON);
            }
        }
        return advantages;
    }

    @Override
    public Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        int n = to - from;
        double[] allAdvantages = advantages(batch);
        TokenBatch tokens = TokenBatch.of(LossSupport.ownRows(batch, from, to), model.vocabSize(),
                r -> "sequence " + (from + r));
        TokenScores scores = TokenScores.of(model, manager, tokens);
        DataType type = scores.lengths().getDataType();
        NDArray batchSize = LossSupport.constant(manager, batch.size(), type);

        double[] advantage = new double[n];
        double[] behavior = new double[n];
        double[] known = new double[n];
        for (int i = 0; i < n; i++) {
            EncodedSequence s = batch.get(from + i);
            advantage[i] = allAdvantages[from + i];
            if (s.behaviorLogProb().isPresent()) {
                behavior[i] = s.behaviorLogProb().getAsDouble();
                known[i] = 1.0;
            }
        }
        NDArray logProbs = scores.sequenceLogProbs();
        NDArray knownMask = manager.create(known).toType(type, false);
        NDArray behaviorLogProbs = manager.create(behavior).toType(type, false).mul(knownMask)
                .add(logProbs.stopGradient().mul(knownMask.neg().add(1.0)));
        NDArray ratio = logProbs.sub(behaviorLogProbs)
                .maximum(LossSupport.constant(manager, -MAX_LOG_RATIO, type))
                .minimum(LossSupport.constant(manager, MAX_LOG_RATIO, type))
                .exp();
        NDArray advantages = manager.create(advantage).toType(type, false);
        double c = objective.clipRange();
        NDArray clipped = ratio.maximum(LossSupport.constant(manager, 1.0 - c, type))
                .minimum(LossSupport.constant(manager, 1.0 + c, type));
        NDArray surrogate = ratio.mul(advantages).minimum(clipped.mul(advantages));
        NDArray pg = surrogate.div(scores.lengths()).sum().neg().div(batchSize);

        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("pg", pg);
        NDArray loss = pg;
        if (objective.klWeight() > 0.0) {
            CausalLm frozen = reference.orElseThrow();
            NDArray referenceLogits = frozen.logits(tokens.inputIds(manager), tokens.attentionMask(manager),
                    tokens.firstTargetPosition());
            NDArray referenceTokenLogProbs = referenceLogits.logSoftmax(2)
                    .gather(tokens.labels(manager).expandDims(2), 2).squeeze(2)
                    .toType(type, false).mul(scores.mask()).stopGradient();
            NDArray d = referenceTokenLogProbs.sub(scores.tokenLogProbs());
            NDArray k3 = d.exp().sub(d).sub(LossSupport.constant(manager, 1.0, type)).mul(scores.mask());
            NDArray kl = k3.sum(new int[] {1}).div(scores.lengths()).sum().div(batchSize);
            terms.put("kl", kl);
            loss = loss.add(kl.mul(LossSupport.constant(manager, objective.klWeight(), type)));
        }
        terms.put("nll", scores.meanNll().sum().div(batchSize));
        NDArray outside = ratio.stopGradient().sub(1.0).abs().gt(c).toType(type, false);
        terms.put("clip_fraction", outside.sum().div(batchSize));
        return Loss.of(loss, terms, LossSupport.tokens(batch, from, to));
    }
}
