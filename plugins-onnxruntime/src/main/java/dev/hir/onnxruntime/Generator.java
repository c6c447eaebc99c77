package dev.hir.onnxruntime;

import dev.hir.api.Generation.FinishReason;
import dev.hir.api.GenerationConfig;
import dev.hir.api.TokenSampler;
import dev.hir.onnxruntime.decode.DecoderSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Batched autoregressive generation on a {@link DecoderSession} with the same semantics as the PyTorch
 * policy's sampler, so the two engines draw the same samples from the same weights and seed: rows sorted
 * by prompt length and cut into batches, left padding (padding id = end of sequence, position 0, attention
 * mask 0), each row's positions starting at 0 at its first real token, the next token chosen by
 * {@link TokenSampler} from the log-softmax of the last position with the sample's own random stream,
 * finished rows dropped from the batch and the cache once they are half of it.
 */
final class Generator {
    private final DecoderSession session;
    private final TextTokenizer tokenizer;
    private final int positions;
    private final int endOfSequence;
    private final int maxBatchRows;

    Generator(DecoderSession session, TextTokenizer tokenizer, int positions, int endOfSequence, int maxBatchRows) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.positions = positions;
        this.endOfSequence = endOfSequence;
        this.maxBatchRows = maxBatchRows;
    }

    private static final class Row {
        final int prompt;
        final int[] promptIds;
        final Random random;
        final int[] generated;
        int count;
        double logProb;
        FinishReason finish;
        String text;

        Row(int prompt, int[] promptIds, Random random, int maxNew) {
            this.prompt = prompt;
            this.promptIds = promptIds;
            this.random = random;
            this.generated = new int[maxNew];
        }
    }

    /**
     * Generates {@code config.numReturnSequences()} samples per prompt.
     *
     * @param prompts token ids of each prompt, 1 to {@code positions} of them
     */
    List<List<Sample>> generate(List<int[]> prompts, GenerationConfig config) {
        int n = config.numReturnSequences();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            int[] ids = prompts.get(i);
            if (ids.length == 0 || ids.length > positions) {
                throw new IllegalArgumentException("prompt " + i + " has " + ids.length + " tokens; need 1.." + positions);
            }
            // Greedy samples of one prompt are identical: decode one and copy it.
            int distinct = config.doSample() ? n : 1;
            for (int j = 0; j < distinct; j++) {
                rows.add(new Row(i, ids, TokenSampler.sampleRandom(config, i, j), config.maxNewTokens()));
            }
        }
        List<Row> byLength = new ArrayList<>(rows);
        byLength.sort(Comparator.comparingInt((Row r) -> r.promptIds.length));
        // A model without position ids cannot skip left padding: its batches hold prompts of one length.
        boolean padding = session.hasPositionIds();
        int from = 0;
        while (from < byLength.size()) {
            int to = Math.min(byLength.size(), from + maxBatchRows);
            if (!padding) {
                int length = byLength.get(from).promptIds.length;
                int end = from + 1;
                while (end < to && byLength.get(end).promptIds.length == length) {
                    end++;
                }
                to = end;
            }
            decode(byLength.subList(from, to), config);
            from = to;
        }
        List<List<Sample>> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            out.add(new ArrayList<>(n));
        }
        for (Row r : rows) {
            Sample s = new Sample(Arrays.copyOf(r.generated, r.count), r.text, r.logProb, r.finish);
            List<Sample> list = out.get(r.prompt);
            list.add(s);
            if (!config.doSample()) {
                for (int j = 1; j < n; j++) {
                    list.add(s);
                }
            }
        }
        return out;
    }

    private void decode(List<Row> rows, GenerationConfig config) {
        int b = rows.size();
        int longest = rows.stream().mapToInt(r -> r.promptIds.length).max().orElseThrow();
        int[] pad = new int[b];
        long[] ids = new long[b * longest];
        long[] pos = new long[b * longest];
        long[] mask = new long[b * longest];
        for (int r = 0; r < b; r++) {
            int[] prompt = rows.get(r).promptIds;
            pad[r] = longest - prompt.length;
            for (int t = 0; t < longest; t++) {
                boolean real = t >= pad[r];
                ids[r * longest + t] = real ? prompt[t - pad[r]] : endOfSequence;
                pos[r * longest + t] = real ? t - pad[r] : 0;
                mask[r * longest + t] = real ? 1 : 0;
            }
        }
        TokenSampler chooser = TokenSampler.of(config);
        DecoderSession.Step step;
        try (DecoderSession.Past empty = session.emptyPast(b)) {
            step = session.run(ids, mask, pos, b, longest, empty, true, true);
        }
        DecoderSession.Past cache = step.present().orElseThrow();
        try {
            int vocab = step.vocab();
            // A model's vocabulary may be padded beyond the tokenizer's: ids it cannot decode are never chosen.
            int choosable = Math.min(vocab, tokenizer.vocabSize());
            float[] logProbs = logSoftmax(step.logits(), vocab);
            List<Row> live = new ArrayList<>(rows);
            int active = b;
            for (int s = 0; ; s++) {
                int width = live.size();
                for (int r = 0; r < width; r++) {
                    Row row = live.get(r);
                    if (row.finish == null) {
                        int token = chooser.choose(logProbs, r * vocab, choosable, row.random);
                        row.generated[row.count++] = token;
                        row.logProb += logProbs[r * vocab + token];
                        if (finishIfDone(row, config)) {
                            active--;
                        }
                    }
                }
                if (active == 0) {
                    break;
                }
                if (active <= width / 2) {
                    // Most rows are done: the remaining steps cost only what the running rows need.
                    int[] keep = new int[active];
                    List<Row> kept = new ArrayList<>(active);
                    int[] keptPad = new int[active];
                    for (int r = 0, k = 0; r < width; r++) {
                        if (live.get(r).finish == null) {
                            keep[k] = r;
                            keptPad[k++] = pad[r];
                            kept.add(live.get(r));
                        }
                    }
                    DecoderSession.Past smaller = cache.keepRows(keep);
                    cache.close();
                    cache = smaller;
                    live = kept;
                    pad = keptPad;
                    width = active;
                }
                int keys = cache.length() + 1;
                long[] next = new long[width];
                long[] nextPos = new long[width];
                long[] nextMask = new long[width * keys];
                for (int r = 0; r < width; r++) {
                    Row row = live.get(r);
                    // A finished row still in the batch is fed its last token; its results are ignored.
                    next[r] = row.generated[row.count - 1];
                    nextPos[r] = Math.min(positions - 1, row.promptIds.length + row.count - 1);
                    Arrays.fill(nextMask, r * keys + pad[r], (r + 1) * keys, 1L);
                }
                step = session.run(next, nextMask, nextPos, width, 1, cache, true, true);
                cache.close();
                cache = step.present().orElseThrow();
                logProbs = logSoftmax(step.logits(), vocab);
            }
        } finally {
            cache.close();
        }
    }

    /** Log-softmax of each row of {@code vocab} logits, in place. */
    static float[] logSoftmax(float[] logits, int vocab) {
        for (int from = 0; from < logits.length; from += vocab) {
            float max = Float.NEGATIVE_INFINITY;
            for (int v = from; v < from + vocab; v++) {
                max = Math.max(max, logits[v]);
            }
            double sum = 0;
            for (int v = from; v < from + vocab; v++) {
                sum += Math.exp(logits[v] - max);
            }
            float shift = max + (float) Math.log(sum);
            for (int v = from; v < from + vocab; v++) {
                logits[v] -= shift;
            }
        }
        return logits;
    }

    private boolean finishIfDone(Row row, GenerationConfig config) {
        var ending = TokenSampler.ending(row.generated, row.count, endOfSequence, row.promptIds.length, positions, config,
                tokenizer::decode);
        ending.ifPresent(e -> {
            row.finish = e.reason();
            row.text = e.text();
        });
        return ending.isPresent();
    }
}
