package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * A model's log-probabilities over a {@link TokenBatch}: the full next-token distributions and the
 * log-probability of each label, both differentiable.
 *
 * @param logProbs {@code [N, W, V]} log-softmax of the logits over the batch's target window
 * @param tokenLogProbs {@code [N, W]} log-probability of each label, 0 outside target positions
 * @param mask {@code [N, W]} 1 at target positions
 * @param lengths {@code [N]} target tokens per row
 */
record TokenScores(NDArray logProbs, NDArray tokenLogProbs, NDArray mask, NDArray lengths) {

    static TokenScores of(CausalLm model, NDManager manager, TokenBatch batch) {
        return ofLogits(model.logits(batch.inputIds(manager), batch.attentionMask(manager), batch.firstTargetPosition()),
                manager, batch);
    }

    /** The scores of logits {@code [N, W, V]} over the batch's target window. */
    static TokenScores ofLogits(NDArray logits, NDManager manager, TokenBatch batch) {
        NDArray logProbs = logits.logSoftmax(2);
        NDArray mask = batch.targetMask(manager, logProbs.getDataType());
        NDArray picked = logProbs.gather(batch.labels(manager).expandDims(2), 2).squeeze(2);
        return new TokenScores(
                logProbs, picked.mul(mask), mask, batch.targetLengths(manager, logProbs.getDataType()));
    }

    /** The first {@code n} rows. */
    TokenScores head(int n) {
        if (n == lengths.getShape().get(0)) {
            return this;
        }
        NDIndex rows = new NDIndex("0:{}", n);
        return new TokenScores(logProbs.get(rows), tokenLogProbs.get(rows), mask.get(rows), lengths.get(rows));
    }

    /** {@code [N]} log-probability of each row's whole target. */
    NDArray sequenceLogProbs() {
        return tokenLogProbs.sum(new int[] {1});
    }

    /** {@code [N]} mean negative log-likelihood per target token of each row. */
    NDArray meanNll() {
        return tokenLogProbs.sum(new int[] {1}).neg().div(lengths);
    }

    /** {@code [N]} mean entropy of the next-token distribution over each row's target positions. */
    NDArray meanEntropy() {
        NDArray perPosition = logProbs.exp().mul(logProbs).sum(new int[] {2}).neg();
        return perPosition.mul(mask).sum(new int[] {1}).div(lengths);
    }
}
