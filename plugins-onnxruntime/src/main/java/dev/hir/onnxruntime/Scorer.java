package dev.hir.onnxruntime;

import dev.hir.onnxruntime.decode.DecoderSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Log-probabilities of given continuations: one full forward pass (no past) per batch of right-padded
 * sequences, summing the log-softmax of each continuation token.
 */
final class Scorer {
    /** Keeps one batch's logits below about 256 MB. */
    private static final long MAX_LOGIT_FLOATS = 64L << 20;

    private final DecoderSession session;
    private final int positions;
    private final int vocab;
    private final int maxBatchRows;

    Scorer(DecoderSession session, int positions, int vocab, int maxBatchRows) {
        this.session = session;
        this.positions = positions;
        this.vocab = vocab;
        this.maxBatchRows = maxBatchRows;
    }

    /**
     * @param prompts at least one token each
     * @param continuations the scored tokens (may be empty: log-probability 0)
     */
    double[] logProbs(List<int[]> prompts, List<int[]> continuations) {
        int n = prompts.size();
        double[] out = new double[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = prompts.get(i).length + continuations.get(i).length;
            if (prompts.get(i).length == 0 || length > positions) {
                throw new IllegalArgumentException("sequence " + i + " has " + length + " tokens; the context holds " + positions);
            }
            if (continuations.get(i).length > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> prompts.get(i).length + continuations.get(i).length));
        int from = 0;
        while (from < order.size()) {
            int last = order.get(Math.min(order.size(), from + maxBatchRows) - 1);
            int longest = prompts.get(last).length + continuations.get(last).length;
            long budget = Math.max(1, MAX_LOGIT_FLOATS / ((long) longest * vocab));
            int to = (int) Math.min(order.size(), from + Math.min(maxBatchRows, budget));
            scoreBatch(order.subList(from, to), prompts, continuations, out);
            from = to;
        }
        return out;
    }

    private void scoreBatch(List<Integer> rows, List<int[]> prompts, List<int[]> continuations, double[] out) {
        int b = rows.size();
        int t = 0;
        for (int i : rows) {
            t = Math.max(t, prompts.get(i).length + continuations.get(i).length);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(rows.get(r));
            int[] c = continuations.get(rows.get(r));
            for (int j = 0; j < t; j++) {
                boolean real = j < p.length + c.length;
                ids[r * t + j] = !real ? 0 : j < p.length ? p[j] : c[j - p.length];
                mask[r * t + j] = real ? 1 : 0;
                pos[r * t + j] = real ? j : 0;
            }
        }
        DecoderSession.Step step;
        try (DecoderSession.Past empty = session.emptyPast(b)) {
            step = session.run(ids, mask, pos, b, t, empty, false, false);
        }
        float[] logits = step.logits();
        int v = step.vocab();
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(rows.get(r));
            int[] c = continuations.get(rows.get(r));
            double sum = 0;
            // Position j predicts token j + 1: the continuation is predicted by positions p.length-1 .. end-2.
            for (int k = 0; k < c.length; k++) {
                int at = (r * t + p.length - 1 + k) * v;
                sum += logProbOf(logits, at, v, c[k]);
            }
            out[rows.get(r)] = sum;
        }
    }

    private static double logProbOf(float[] logits, int at, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = at; i < at + vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = at; i < at + vocab; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return logits[at + token] - (max + (float) Math.log(sum));
    }
}
