package dev.hir.pytorch.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.pytorch.model.Gpt2Model;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Log-probabilities of given continuations under the model: one full forward pass per batch of
 * right-padded sequences, summing the log-softmax of each continuation token.
 */
public final class Scorer {
    /** Keeps one batch's log-softmax below about 256 MB. */
    private static final long MAX_LOGIT_FLOATS = 64L << 20;

    private final Gpt2Model model;
    private final int maxBatchRows;

    /** @param maxBatchRows the most sequences scored together */
    public Scorer(Gpt2Model model, int maxBatchRows) {
        this.model = model;
        this.maxBatchRows = maxBatchRows;
    }

    /**
     * The log-probability of each continuation given its prompt.
     *
     * @param prompts at least one token each
     * @param continuations the scored tokens (may be empty: log-probability 0)
     */
    public double[] logProbs(List<int[]> prompts, List<int[]> continuations) {
        int n = prompts.size();
        double[] out = new double[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = prompts.get(i).length + continuations.get(i).length;
            if (prompts.get(i).length == 0 || length > model.config().nPositions()) {
                throw new IllegalArgumentException("sequence " + i + " has " + length + " tokens; the context holds "
                        + model.config().nPositions());
            }
            if (continuations.get(i).length > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> prompts.get(i).length + continuations.get(i).length));
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.manager().newSubManager()) {
            int from = 0;
            while (from < order.size()) {
                int longest = length(prompts, continuations, order.get(Math.min(order.size(), from + maxBatchRows) - 1));
                long budget = Math.max(1, MAX_LOGIT_FLOATS / ((long) longest * model.vocabSize()));
                int to = (int) Math.min(order.size(), from + Math.min(maxBatchRows, budget));
                scoreBatch(order.subList(from, to), prompts, continuations, manager, out);
                from = to;
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    private static int length(List<int[]> prompts, List<int[]> continuations, int i) {
        return prompts.get(i).length + continuations.get(i).length;
    }

    private void scoreBatch(List<Integer> rows, List<int[]> prompts, List<int[]> continuations, NDManager manager,
            double[] out) {
        int b = rows.size();
        int t = rows.stream().mapToInt(i -> length(prompts, continuations, i)).max().orElseThrow();
        long[] ids = new long[b * t];
        long[] targets = new long[b * t];
        float[] mask = new float[b * t];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(rows.get(r));
            int[] c = continuations.get(rows.get(r));
            for (int j = 0; j < p.length + c.length; j++) {
                ids[r * t + j] = j < p.length ? p[j] : c[j - p.length];
                mask[r * t + j] = 1f;
            }
            for (int j = 0; j + 1 < p.length + c.length; j++) {
                targets[r * t + j] = ids[r * t + j + 1];
            }
        }
        float[] picked;
        try (NDScope scope = new NDScope()) {
            NDArray logits = model.logits(manager.create(ids, new Shape(b, t)), manager.create(mask, new Shape(b, t)));
            picked = logits.logSoftmax(-1).gather(manager.create(targets, new Shape(b, t, 1)), 2).toFloatArray();
        }
        for (int r = 0; r < b; r++) {
            int promptLength = prompts.get(rows.get(r)).length;
            int total = promptLength + continuations.get(rows.get(r)).length;
            double sum = 0;
            // Row j predicts token j + 1: the continuation's tokens are predicted by rows promptLength-1 .. total-2.
            for (int j = promptLength - 1; j < total - 1; j++) {
                sum += picked[r * t + j];
            }
            out[rows.get(r)] = sum;
        }
    }
}
