package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hir.api.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HIR loss, {@code (1/B) Σ_i w_i (supervised_i + α·contrastive_i − β·entropy_i)}, in the paper's form
 * ({@link Objective.Contrastive#BATCH}) or the reference code's ({@link Objective.Contrastive#PAIRWISE}).
 *
 * <ul>
 *   <li>supervised: label-smoothed NLL, {@code mean_t [(1−ε_t)·(−log p(y_t)) + ε_t·mean_{v∈S}(−log p(v))]},
 *       Hugging Face's {@code LabelSmoother}. With {@link Objective.Smoothing#VOCABULARY} S is the
 *       vocabulary and ε_t = ε at every target position. With {@link Objective.Smoothing#ANSWER_TOKENS} S is
 *       the sequence's {@link EncodedSequence#answerTokenIds()} and ε_t = ε only where the label itself
 *       is an answer token: spreading answer mass over the end-of-sequence position would teach malformed
 *       outputs, which is what uniform smoothing did in the pilot (PILOT.md). An empty answer set smooths
 *       over the vocabulary.</li>
 *   <li>contrastive, BATCH (paper Eq. 4): {@code −log softmax_k(P_ik)[own k]} with
 *       {@code P_ik = log p(o_i | prompt_k)} over the prompts of the whole batch, the sequence log-prob
 *       summed over target tokens. Identical prompts are scored once and counted with their multiplicity,
 *       which is the same sum.</li>
 *   <li>contrastive, PAIRWISE (reference code): with {@code p̄± = exp(−mean_t CE)} under the prompt and
 *       under {@code contrastPromptIds.get(0)}, {@code −(1−ε)·log(p̄+/(p̄+ + p̄−) + 1e-8) − ε·log(p̄−/(p̄+ + p̄−) + 1e-8)};
 *       a sequence without a contrast prompt adds no contrastive term.</li>
 *   <li>entropy: mean over target positions of the next-token entropy under the sequence's own prompt.</li>
 * </ul>
 *
 * <p>Reported terms: {@code supervised} (the smoothed term), {@code nll} (unsmoothed, for reference),
 * {@code contrastive} (when α &gt; 0) and {@code entropy} (when β &gt; 0), each weighted and divided by
 * the batch size like the loss, so {@code loss = supervised + α·contrastive − β·entropy}.
 */
final class HirLoss implements ObjectiveLoss {

    private final Objective.Hir hir;

    HirLoss(Objective.Hir hir) {
        this.hir = hir;
    }

    @Override
    public int rows(List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        if (hir.contrastiveWeight() == 0.0) {
            return to - from;
        }
        if (hir.contrastive() == Objective.Contrastive.PAIRWISE) {
            int rows = to - from;
            for (int i = from; i < to; i++) {
                rows += batch.get(i).contrastPromptIds().isEmpty() ? 0 : 1;
            }
            return rows;
        }
        List<TokenBatch.Row> rows = new ArrayList<>(LossSupport.ownRows(batch, from, to));
        BatchContrast.plan(batch, from, to, rows, new ArrayList<>());
        return rows.size();
    }

    @Override
    public Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        int n = to - from;
        boolean contrast = hir.contrastiveWeight() > 0.0;
        List<TokenBatch.Row> rows = new ArrayList<>(LossSupport.ownRows(batch, from, to));
        List<String> rowNames = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rowNames.add("sequence " + i);
        }
        BatchContrast batchContrast = null;
        int[] pairedRow = null;
        if (contrast && hir.contrastive() == Objective.Contrastive.BATCH) {
            batchContrast = BatchContrast.plan(batch, from, to, rows, rowNames);
        } else if (contrast) {
            pairedRow = new int[n];
            for (int i = from; i < to; i++) {
                EncodedSequence s = batch.get(i);
                if (s.contrastPromptIds().isEmpty()) {
                    pairedRow[i - from] = -1;
                } else {
                    pairedRow[i - from] = rows.size();
                    rows.add(new TokenBatch.Row(s.contrastPromptIds().get(0), s.targetIds()));
                    rowNames.add("sequence " + i + " under its contrast prompt");
                }
            }
        }
        TokenBatch tokens = TokenBatch.of(rows, model.vocabSize(), rowNames::get);
        TokenScores all = TokenScores.of(model, manager, tokens);
        TokenScores own = all.head(n);
        DataType type = own.lengths().getDataType();
        NDArray weights = LossSupport.weights(manager, batch, from, to, type);
        NDArray batchSize = LossSupport.constant(manager, batch.size(), type);

        NDArray nllPerToken = own.tokenLogProbs().neg();
        NDArray supervised = smoothedNll(manager, batch, from, tokens, own, nllPerToken);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        NDArray supervisedTerm = supervised.mul(weights).sum().div(batchSize);
        terms.put("supervised", supervisedTerm);
        terms.put("nll", own.meanNll().mul(weights).sum().div(batchSize));
        NDArray loss = supervisedTerm;
        if (contrast) {
            NDArray contrastiveTerm = batchContrast != null
                    ? batchContrast.loss(manager, all, n).mul(weights).sum().div(batchSize)
                    : pairwise(manager, all, own, pairedRow, weights).div(batchSize);
            terms.put("contrastive", contrastiveTerm);
            loss = loss.add(contrastiveTerm.mul(LossSupport.constant(manager, hir.contrastiveWeight(), type)));
        }
        if (hir.entropyWeight() > 0.0) {
            NDArray entropyTerm = own.meanEntropy().mul(weights).sum().div(batchSize);
            terms.put("entropy", entropyTerm);
            loss = loss.sub(entropyTerm.mul(LossSupport.constant(manager, hir.entropyWeight(), type)));
        }
        return Loss.of(loss, terms, LossSupport.tokens(batch, from, to));
    }

    /** {@code [n]} per-sequence label-smoothed NLL, mean over target tokens. */
    private NDArray smoothedNll(NDManager manager, List<EncodedSequence> batch, int from, TokenBatch tokens,
            TokenScores own, NDArray nllPerToken) {
        double epsilon = hir.labelSmoothing();
        if (epsilon == 0.0) {
            return own.meanNll();
        }
        DataType type = nllPerToken.getDataType();
        NDArray smoothPerToken;
        NDArray epsilonPerToken;
        if (hir.smoothing() == Objective.Smoothing.VOCABULARY) {
            smoothPerToken = own.logProbs().mean(new int[] {2}).neg();
            epsilonPerToken = own.mask().mul(epsilon);
        } else {
            int n = (int) own.lengths().getShape().get(0);
            int width = tokens.windowWidth();
            int vocab = (int) own.logProbs().getShape().get(2);
            double[] spread = new double[n * vocab];
            double[] eps = new double[n * width];
            for (int r = 0; r < n; r++) {
                int[] answers = Arrays.stream(batch.get(from + r).answerTokenIds()).distinct().toArray();
                for (int a : answers) {
                    if (a < 0 || a >= vocab) {
                        throw new IllegalArgumentException("sequence " + (from + r) + " has answer token id " + a
                                + " outside [0, " + vocab + ")");
                    }
                }
                if (answers.length == 0) {
                    Arrays.fill(spread, r * vocab, (r + 1) * vocab, 1.0 / vocab);
                } else {
                    for (int a : answers) {
                        spread[r * vocab + a] = 1.0 / answers.length;
                    }
                }
                for (int t = 0; t < width; t++) {
                    if (tokens.isTarget(r, t) && (answers.length == 0 || contains(answers, tokens.label(r, t)))) {
                        eps[r * width + t] = epsilon;
                    }
                }
            }
            NDArray spreadArray = manager.create(spread, new Shape(n, 1, vocab)).toType(type, false);
            smoothPerToken = own.logProbs().mul(spreadArray).sum(new int[] {2}).neg();
            epsilonPerToken = manager.create(eps, new Shape(n, width)).toType(type, false);
        }
        // (1-ε)·nll + ε·smooth = nll + ε·(smooth − nll), with ε 0 off the target positions.
        NDArray perToken = nllPerToken.add(smoothPerToken.mul(own.mask()).sub(nllPerToken).mul(epsilonPerToken));
        return perToken.sum(new int[] {1}).div(own.lengths());
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    /** Weighted sum over the sequences with a contrast prompt of the reference code's 2-way loss. */
    private NDArray pairwise(NDManager manager, TokenScores all, TokenScores own, int[] pairedRow, NDArray weights) {
        List<Long> ownIndex = new ArrayList<>();
        List<Long> pairIndex = new ArrayList<>();
        for (int i = 0; i < pairedRow.length; i++) {
            if (pairedRow[i] >= 0) {
                ownIndex.add((long) i);
                pairIndex.add((long) pairedRow[i]);
            }
        }
        if (ownIndex.isEmpty()) {
            return weights.sum().mul(0);
        }
        NDArray ownIds = manager.create(ownIndex.stream().mapToLong(Long::longValue).toArray());
        NDArray pairIds = manager.create(pairIndex.stream().mapToLong(Long::longValue).toArray());
        NDArray meanNll = all.meanNll();
        NDArray positive = own.meanNll().take(ownIds).neg();
        NDArray negative = meanNll.take(pairIds).neg();
        NDArray probabilities = NDArrays.stack(new ai.djl.ndarray.NDList(positive, negative), 1).softmax(1);
        double epsilon = hir.labelSmoothing();
        NDArray pPositive = probabilities.get(new NDIndex(":, 0"));
        NDArray pNegative = probabilities.get(new NDIndex(":, 1"));
        DataType type = probabilities.getDataType();
        NDArray floor = LossSupport.constant(manager, 1e-8, type);
        NDArray perSequence = pPositive.add(floor).log().mul(LossSupport.constant(manager, 1.0 - epsilon, type))
                .add(pNegative.add(floor).log().mul(LossSupport.constant(manager, epsilon, type)))
                .neg();
        return perSequence.mul(weights.take(ownIds)).sum();
    }

    /**
     * The paper's contrastive term: which (sequence, prompt) rows to score, and the softmax over them.
     * Rows {@code [0, n)} are the sequences under their own prompts; each other (distinct prompt, distinct
     * target) pair gets one more row. Sequences with the same target share their rows: answers repeat
     * (a few options, many samples), so this scores far fewer rows than sequences × prompts.
     */
    private static final class BatchContrast {
        private final long[][] rowOf; // [n][U]: the row scoring sequence i under distinct prompt u
        private final double[] logMultiplicity; // [U]

        private BatchContrast(long[][] rowOf, double[] logMultiplicity) {
            this.rowOf = rowOf;
            this.logMultiplicity = logMultiplicity;
        }

        static BatchContrast plan(List<EncodedSequence> batch, int from, int to, List<TokenBatch.Row> rows,
                List<String> rowNames) {
            Map<PromptKey, Integer> distinct = new LinkedHashMap<>();
            List<int[]> prompts = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            for (EncodedSequence s : batch) {
                PromptKey key = new PromptKey(s.promptIds());
                Integer u = distinct.get(key);
                if (u == null) {
                    distinct.put(key, prompts.size());
                    prompts.add(s.promptIds());
                    counts.add(1);
                } else {
                    counts.set(u, counts.get(u) + 1);
                }
            }
            int promptCount = prompts.size();
            // (prompt, target) -> row; the own rows first, so a pair that is some sequence's own is reused.
            Map<List<PromptKey>, Integer> scored = new java.util.HashMap<>();
            for (int i = from; i < to; i++) {
                EncodedSequence s = batch.get(i);
                scored.putIfAbsent(List.of(new PromptKey(s.promptIds()), new PromptKey(s.targetIds())), i - from);
            }
            long[][] rowOf = new long[to - from][promptCount];
            for (int i = from; i < to; i++) {
                EncodedSequence s = batch.get(i);
                PromptKey target = new PromptKey(s.targetIds());
                int own = distinct.get(new PromptKey(s.promptIds()));
                for (int u = 0; u < promptCount; u++) {
                    if (u == own) {
                        rowOf[i - from][u] = i - from;
                        continue;
                    }
                    List<PromptKey> pair = List.of(new PromptKey(prompts.get(u)), target);
                    Integer row = scored.get(pair);
                    if (row == null) {
                        row = rows.size();
                        scored.put(pair, row);
                        rows.add(new TokenBatch.Row(prompts.get(u), s.targetIds()));
                        rowNames.add("sequence " + i + " under the prompt of another sequence");
                    }
                    rowOf[i - from][u] = row;
                }
            }
            double[] logMultiplicity = counts.stream().mapToDouble(c -> Math.log(c)).toArray();
            return new BatchContrast(rowOf, logMultiplicity);
        }

        /** {@code [n]}: −log softmax over the batch's prompts of each sequence's own prompt. */
        NDArray loss(NDManager manager, TokenScores all, int n) {
            NDArray sequenceLogProbs = all.sequenceLogProbs();
            DataType type = sequenceLogProbs.getDataType();
            NDArray scores = sequenceLogProbs.take(manager.create(rowOf))
                    .add(manager.create(logMultiplicity).toType(type, false).expandDims(0));
            // Shift by the (constant) row maximum so the exponentials cannot overflow.
            NDArray shift = scores.max(new int[] {1}, true).stopGradient();
            NDArray logSumExp = scores.sub(shift).exp().sum(new int[] {1}).log().add(shift.squeeze(1));
            NDArray own = sequenceLogProbs.get(new NDIndex("0:{}", n));
            return logSumExp.sub(own);
        }
    }

    /** Token ids (a prompt or a target) compared by content. */
    private record PromptKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PromptKey other && Arrays.equals(ids, other.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return Arrays.toString(ids);
        }
    }
}
