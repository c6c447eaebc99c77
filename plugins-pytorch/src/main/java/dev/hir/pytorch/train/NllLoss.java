package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Weighted negative log-likelihood (SFT, FARL): {@code (1/B) Σ_i w_i · mean_t −log p(y_it | prompt_i, y_i<t)},
 * the per-token mean taken within each sequence, as the reference code's per-example loss does. With a
 * {@link StateHead}, plus its weight times the mean cross-entropy of the batch's state targets (term
 * {@code "state"}).
 */
final class NllLoss implements ObjectiveLoss {

    private final Optional<StateHead> stateHead;

    NllLoss(Optional<StateHead> stateHead) {
        this.stateHead = stateHead;
    }

    @Override
    public Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        TokenBatch rows = TokenBatch.of(LossSupport.ownRows(batch, from, to), model.vocabSize(),
                r -> "sequence " + (from + r));
        int stateTargets = stateHead.map(h -> covered(h, batch, 0, batch.size())).orElse(0);
        if (stateTargets == 0) {
            return nllOnly(manager, batch, from, to, TokenScores.of(model, manager, rows));
        }
        NDArray hidden = model.hiddenStates(rows.inputIds(manager), rows.attentionMask(manager));
        NDArray window = hidden.get(new NDIndex(":, {}:", rows.firstTargetPosition()));
        TokenScores scores = TokenScores.ofLogits(model.outputLogits(window), manager, rows);
        Optional<StateHead.Sum> part = stateHead.get().loss(hidden,
                batch.subList(from, to).stream().map(EncodedSequence::states).toList());
        if (part.isEmpty()) {
            // This micro-batch has no state targets, others of the batch do: report a zero term.
            Loss nll = nllOnly(manager, batch, from, to, scores);
            return withState(nll, LossSupport.constant(manager, 0.0, scores.lengths().getDataType()), manager);
        }
        // Divided by the whole batch's target count, so the micro-batches' parts add up to the batch mean.
        NDArray state = part.get().tensor()
                .mul(LossSupport.constant(manager, stateHead.get().weight() / stateTargets, scores.lengths().getDataType()));
        return withState(nllOnly(manager, batch, from, to, scores), state, manager);
    }

    /** State targets of sequences {@code [from, to)} the head covers. */
    private static int covered(StateHead head, List<EncodedSequence> batch, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            for (StateTarget t : batch.get(i).states()) {
                n += head.covers(t) ? 1 : 0;
            }
        }
        return n;
    }

    private static Loss nllOnly(NDManager manager, List<EncodedSequence> batch, int from, int to, TokenScores scores) {
        NDArray weights = LossSupport.weights(manager, batch, from, to, scores.lengths().getDataType());
        NDArray nll = scores.meanNll().mul(weights).sum()
                .div(LossSupport.constant(manager, batch.size(), weights.getDataType()));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("nll", nll);
        return Loss.of(nll, terms, LossSupport.tokens(batch, from, to));
    }

    private static Loss withState(Loss nll, NDArray state, NDManager manager) {
        NDArray total = nll.tensor().add(state);
        double stateValue = state.stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        Map<String, Double> terms = new LinkedHashMap<>(nll.terms());
        terms.put("state", stateValue);
        return new Loss(total, nll.value() + stateValue, terms, nll.tokens());
    }
}
