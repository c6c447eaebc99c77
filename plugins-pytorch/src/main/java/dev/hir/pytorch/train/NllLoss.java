package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted negative log-likelihood (SFT, FARL): {@code (1/B) Σ_i w_i · mean_t −log p(y_it | prompt_i, y_i<t)},
 * the per-token mean taken within each sequence, as the reference code's per-example loss does.
 */
final class NllLoss implements ObjectiveLoss {

    @Override
    public Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        TokenBatch rows = TokenBatch.of(LossSupport.ownRows(batch, from, to), model.vocabSize(),
                r -> "sequence " + (from + r));
        TokenScores scores = TokenScores.of(model, manager, rows);
        NDArray weights = LossSupport.weights(manager, batch, from, to, scores.lengths().getDataType());
        NDArray nll = scores.meanNll().mul(weights).sum()
                .div(LossSupport.constant(manager, batch.size(), weights.getDataType()));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("nll", nll);
        return Loss.of(nll, terms, LossSupport.tokens(batch, from, to));
    }
}
