package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
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
        int stateTargets = stateHead.map(h -> covered(h, batch)).orElse(0);
        if (stateTargets == 0) {
            TokenScores scores = TokenScores.of(model, manager, rows);
            NDArray nll = nll(manager, batch, from, to, scores);
            return Loss.of(nll, Map.of("nll", nll), LossSupport.tokens(batch, from, to));
        }
        NDArray hidden = model.hiddenStates(rows.inputIds(manager), rows.attentionMask(manager));
        NDArray window = hidden.get(new NDIndex(":, {}:", rows.firstTargetPosition()));
        TokenScores scores = TokenScores.ofLogits(model.outputLogits(window), manager, rows);
        NDArray nll = nll(manager, batch, from, to, scores);
        DataType type = scores.lengths().getDataType();
        // Divided by the whole batch's target count, so the micro-batches' parts add up to the batch mean; a
        // micro-batch without targets of its own reports a zero term.
        NDArray state = stateHead.get().loss(hidden, batch.subList(from, to).stream().map(EncodedSequence::states).toList())
                .map(part -> part.tensor().mul(LossSupport.constant(manager, stateHead.get().weight() / stateTargets, type)))
                .orElseGet(() -> LossSupport.constant(manager, 0.0, type));
        Map<String, NDArray> named = new LinkedHashMap<>();
        named.put("nll", nll);
        named.put("state", state);
        Loss read = Loss.of(nll.add(state), named, LossSupport.tokens(batch, from, to));
        // The value as the two terms' sum in double precision, as the shipped mini-flan run logged it.
        return new Loss(read.tensor(), read.terms().get("nll") + read.terms().get("state"), read.terms(), read.tokens());
    }

    /** State targets of the batch the head covers. */
    private static int covered(StateHead head, List<EncodedSequence> batch) {
        int n = 0;
        for (EncodedSequence s : batch) {
            for (StateTarget t : s.states()) {
                n += head.covers(t) ? 1 : 0;
            }
        }
        return n;
    }

    private static NDArray nll(NDManager manager, List<EncodedSequence> batch, int from, int to, TokenScores scores) {
        NDArray weights = LossSupport.weights(manager, batch, from, to, scores.lengths().getDataType());
        return scores.meanNll().mul(weights).sum()
                .div(LossSupport.constant(manager, batch.size(), weights.getDataType()));
    }
}
