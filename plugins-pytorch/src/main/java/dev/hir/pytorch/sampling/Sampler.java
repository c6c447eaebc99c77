package dev.hir.pytorch.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.api.Generation.FinishReason;
import dev.hir.api.GenerationConfig;
import dev.hir.api.TokenSampler;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.model.KvCache;
import dev.hir.pytorch.model.StepDecoder;
import dev.hir.pytorch.tokenizer.TextTokenizer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batched autoregressive generation with a KV cache (DJL's {@code TextGenerator} has no temperature
 * sampling and no log-probabilities).
 *
 * <p>Prompts of different lengths are left-padded: each row's position ids start at 0 at its first real
 * token, and no query attends to a padding key, so a row's result does not depend on the other rows of its
 * batch (up to float rounding). The next token is chosen in Java from the log-probabilities copied out of
 * the model, with one seeded {@link Random} per sample. Each decoding step runs in its own {@link NDScope}.
 * The samples of one prompt share its prefill.
 *
 * <p>The one-token steps take one of two paths. Few rows over a short context ({@link StepDecoder#suits}) run as
 * {@link StepDecoder} steps: the linear layers in libtorch, the rest in Java. Otherwise each step is a chain of
 * libtorch operations over a KV cache {@linkplain KvCache#preallocated preallocated} for the longest the batch
 * can run and written in place; arrays it replaces when finished rows leave the batch are closed at once. When
 * enough rows have finished, the rest continue as {@link StepDecoder} steps. Both paths give the same results up
 * to float rounding.
 */
public final class Sampler {
    private static final NDIndex LAST_POSITION = new NDIndex(":, -1");

    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final int maxBatchRows;
    private StepObserver observer = (step, manager, javaSteps) -> {};
    private boolean javaSteps = true;

    /** Sees the manager of a generate call after each step, and whether the steps run in Java; for tests. */
    @FunctionalInterface
    interface StepObserver {
        void afterStep(int step, NDManager manager, boolean javaSteps);
    }

    /**
     * @param maxBatchRows the most sequences decoded together; more are split into several batches
     */
    public Sampler(Gpt2Model model, TextTokenizer tokenizer, int maxBatchRows) {
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxBatchRows = maxBatchRows;
    }

    /**
     * Makes every decoding step a chain of libtorch operations ({@link Gpt2Model#forward} with a {@link KvCache}),
     * never a {@link StepDecoder} step: for comparisons of the two, and tests of the libtorch path.
     *
     * @return this sampler
     */
    public Sampler withLibtorchStepsOnly() {
        javaSteps = false;
        return this;
    }

    void observe(StepObserver stepObserver) {
        this.observer = stepObserver;
    }

    private static final class Row {
        final int prompt;
        final int sample;
        final int[] promptIds;
        final Random random;
        final int[] generated;
        int count;
        double logProb;
        FinishReason finish;
        String text;

        Row(int prompt, int sample, int[] promptIds, Random random, int maxNew) {
            this.prompt = prompt;
            this.sample = sample;
            this.promptIds = promptIds;
            this.random = random;
            this.generated = new int[maxNew];
        }
    }

    /**
     * Generates {@code config.numReturnSequences()} samples for each prompt.
     *
     * @param prompts token ids of each prompt, non-empty and shorter than the context
     * @return one list per prompt, in order
     */
    public List<List<Sample>> generate(List<int[]> prompts, GenerationConfig config) {
        int positions = model.config().nPositions();
        int n = config.numReturnSequences();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            int[] ids = prompts.get(i);
            if (ids.length == 0 || ids.length >= positions + 1) {
                throw new IllegalArgumentException("prompt " + i + " has " + ids.length + " tokens; need 1.." + positions);
            }
            // Greedy samples of one prompt are identical: decode one and copy it.
            int distinct = config.doSample() ? n : 1;
            for (int j = 0; j < distinct; j++) {
                rows.add(new Row(i, j, ids, TokenSampler.sampleRandom(config, i, j), config.maxNewTokens()));
            }
        }
        List<Row> byLength = new ArrayList<>(rows);
        byLength.sort(Comparator.comparingInt((Row r) -> r.promptIds.length));
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < byLength.size(); from += maxBatchRows) {
                decode(byLength.subList(from, Math.min(byLength.size(), from + maxBatchRows)), config);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
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
        int vocab = model.config().vocabSize();
        int positions = model.config().nPositions();
        int eos = tokenizer.endOfSequenceId();
        int longest = rows.stream().mapToInt(r -> r.promptIds.length).max().orElseThrow();
        int[] pad = new int[b];
        for (int r = 0; r < b; r++) {
            pad[r] = longest - rows.get(r).promptIds.length;
        }
        boolean padded = Arrays.stream(pad).anyMatch(p -> p > 0);
        // A model's vocabulary may be padded beyond the tokenizer's (a multiple of 64, say): ids the
        // tokenizer cannot decode are never chosen.
        int choosable = Math.min(vocab, tokenizer.vocabSize());
        TokenSampler chooser = TokenSampler.of(config);
        float masked = Gpt2Model.maskedScore();
        // A row of prompt length L ends after at most min(maxNewTokens, context - L) tokens, and its last
        // token is never fed back: the cache never holds more than this (left padding included).
        long capacity = 0;
        for (Row row : rows) {
            capacity = Math.max(capacity, longest - 1L + Math.min(config.maxNewTokens(), positions - row.promptIds.length));
        }
        capacity = Math.max(capacity, longest);
        // Few rows over a short context decode faster with attention and the elementwise work in Java.
        // The decoder's buffers belong to a sub-manager of the call's manager, which frees them at the end.
        boolean inJava = javaSteps && StepDecoder.suits(model.config(), b, capacity);
        StepDecoder decoder = null;
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = inJava ? new KvCache(model.config().nLayer())
                        : KvCache.preallocated(model.config().nLayer(), capacity, manager)) {
            // The samples of one prompt share its prefill: each distinct prompt of the batch fills the cache
            // once, and its cache rows and next-token log-probabilities are then copied to each sample's row.
            // In HIR rollouts (a few short samples of long prompts) the prefill is most of the work.
            int[] source = new int[b];
            List<int[]> distinct = new ArrayList<>();
            List<Integer> distinctPad = new ArrayList<>();
            Map<IntBuffer, Integer> seen = new HashMap<>();
            for (int r = 0; r < b; r++) {
                int[] prompt = rows.get(r).promptIds;
                Integer first = seen.putIfAbsent(IntBuffer.wrap(prompt), distinct.size());
                if (first == null) {
                    source[r] = distinct.size();
                    distinct.add(prompt);
                    distinctPad.add(pad[r]);
                } else {
                    source[r] = first;
                }
            }
            int filled = distinct.size();
            float[] logProbs;
            try (NDScope scope = new NDScope()) {
                long[] ids = new long[filled * longest];
                long[] pos = new long[filled * longest];
                float[] bias = new float[filled * longest * longest];
                for (int r = 0; r < filled; r++) {
                    int[] prompt = distinct.get(r);
                    int left = distinctPad.get(r);
                    for (int t = 0; t < longest; t++) {
                        boolean real = t >= left;
                        ids[r * longest + t] = real ? prompt[t - left] : eos;
                        pos[r * longest + t] = real ? t - left : 0;
                        for (int k = 0; k < longest; k++) {
                            // Padding queries attend to themselves only, so no row of the softmax is empty.
                            boolean allowed = real ? k >= left && k <= t : k == t;
                            bias[(r * longest + t) * longest + k] = allowed ? 0f : masked;
                        }
                    }
                }
                NDArray hidden = model.forward(
                        manager.create(ids, new Shape(filled, longest)),
                        manager.create(pos, new Shape(filled, longest)),
                        manager.create(bias, new Shape(filled, 1, longest, longest)),
                        cache);
                logProbs = model.lmHead(hidden.get(LAST_POSITION)).logSoftmax(-1).toFloatArray();
                if (inJava) {
                    int[] sourcePad = new int[b];
                    for (int r = 0; r < b; r++) {
                        sourcePad[r] = distinctPad.get(source[r]);
                    }
                    decoder = StepDecoder.start(model, cache, source, sourcePad, Math.toIntExact(capacity), manager);
                    cache.close();
                }
                if (filled < b) {
                    if (!inJava) {
                        cache.keepRows(source);
                    }
                    float[] perRow = new float[b * vocab];
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(logProbs, source[r] * vocab, perRow, r * vocab, vocab);
                    }
                    logProbs = perRow;
                }
            }
            // The padding bias of every key position the cache can hold; each step reads its filled prefix.
            NDArray paddingBias = padded && !inJava ? paddingBias(manager, pad, capacity) : null;
            // Every row's position id at every decoding step, sliced per step: no array to build per step.
            int steps = Math.toIntExact(capacity - longest);
            NDArray positionIds = inJava ? null : positionTable(manager, rows, steps, positions);
            List<Row> live = new ArrayList<>(rows);
            int active = b;
            for (int step = 0; ; step++) {
                int width = live.size();
                for (int r = 0; r < width; r++) {
                    Row row = live.get(r);
                    if (row.finish == null) {
                        int token = chooser.choose(logProbs, r * vocab, choosable, row.random);
                        row.generated[row.count++] = token;
                        row.logProb += logProbs[r * vocab + token];
                        if (finishIfDone(row, eos, positions, config)) {
                            active--;
                        }
                    }
                }
                observer.afterStep(step, manager, inJava);
                if (active == 0) {
                    break;
                }
                if (active <= width / 2) {
                    // Most rows are done: drop them from the batch and the cache, so the remaining steps
                    // cost what the running rows need.
                    int[] keep = new int[active];
                    List<Row> kept = new ArrayList<>(active);
                    for (int r = 0, k = 0; r < width; r++) {
                        if (live.get(r).finish == null) {
                            keep[k++] = r;
                            kept.add(live.get(r));
                        }
                    }
                    int[] keptPad = new int[active];
                    for (int k = 0; k < active; k++) {
                        keptPad[k] = pad[keep[k]];
                    }
                    live = kept;
                    pad = keptPad;
                    padded = Arrays.stream(pad).anyMatch(p -> p > 0);
                    width = active;
                    if (inJava) {
                        decoder.keepRows(keep);
                    } else if (javaSteps && StepDecoder.suits(model.config(), active, capacity)) {
                        // Few rows are left (the long tail of a batch): their remaining steps run in Java,
                        // from their rows of the cache.
                        decoder = StepDecoder.start(model, cache, keep, keptPad, Math.toIntExact(capacity), manager);
                        cache.close();
                        inJava = true;
                        if (paddingBias != null) {
                            paddingBias.close();
                            paddingBias = null;
                        }
                        positionIds.close();
                        positionIds = null;
                    } else {
                        try (NDScope scope = new NDScope()) {
                            cache.keepRows(keep);
                        }
                        if (paddingBias != null) {
                            paddingBias.close();
                            paddingBias = padded ? paddingBias(manager, pad, capacity) : null;
                        }
                        positionIds.close();
                        positionIds = positionTable(manager, live, steps, positions);
                    }
                }
                if (step >= steps) {
                    throw new IllegalStateException("decoding step " + step + " past the " + steps + " planned");
                }
                int[] next = new int[width];
                for (int r = 0; r < width; r++) {
                    Row row = live.get(r);
                    // A finished row still in the batch is fed its last token; its results are ignored.
                    next[r] = row.generated[row.count - 1];
                }
                int keys = longest + step + 1;
                try (NDScope scope = new NDScope()) {
                    NDArray hidden;
                    if (inJava) {
                        int[] at = new int[width];
                        for (int r = 0; r < width; r++) {
                            at[r] = Math.min(positions - 1, live.get(r).promptIds.length + step);
                        }
                        hidden = decoder.step(next, at);
                    } else {
                        hidden = model.forward(
                                manager.create(Arrays.stream(next).asLongStream().toArray(), new Shape(width, 1)),
                                JniUtils.slice((PtNDArray) positionIds, 1, step, step + 1L, 1),
                                paddingBias == null ? null : JniUtils.slice((PtNDArray) paddingBias, 3, 0, keys, 1),
                                cache);
                    }
                    // [width, 1, vocab]: the same floats, row by row, as [width, vocab].
                    logProbs = model.lmHead(hidden).logSoftmax(-1).toFloatArray();
                }
            }
        }
    }

    /**
     * {@code [rows, steps]} int64: the position id of each row's token fed at each decoding step (the
     * prompt's length plus the step), capped at the last position for rows that will have finished by then.
     * It outlives the steps' scopes; the caller closes it.
     */
    private static NDArray positionTable(NDManager manager, List<Row> rows, int steps, int positions) {
        int width = Math.max(1, steps);
        long[] ids = new long[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            int length = rows.get(r).promptIds.length;
            for (int s = 0; s < width; s++) {
                ids[r * width + s] = Math.min(positions - 1, length + s);
            }
        }
        NDArray array = manager.create(ids, new Shape(rows.size(), width));
        NDScope.unregister(array);
        return array;
    }

    /**
     * {@code [rows, 1, 1, keys]}: a one-token query may attend to every key but its row's left padding. It
     * outlives the steps' scopes; the caller closes it.
     */
    private static NDArray paddingBias(NDManager manager, int[] pad, long keys) {
        int k = Math.toIntExact(keys);
        float[] bias = new float[pad.length * k];
        for (int r = 0; r < pad.length; r++) {
            Arrays.fill(bias, r * k, r * k + pad[r], Gpt2Model.maskedScore());
        }
        NDArray array = manager.create(bias, new Shape(pad.length, 1, 1, k));
        NDScope.unregister(array);
        return array;
    }

    private boolean finishIfDone(Row row, int eos, int positions, GenerationConfig config) {
        var ending = TokenSampler.ending(row.generated, row.count, eos, row.promptIds.length, positions, config,
                tokenizer::decode);
        ending.ifPresent(e -> {
            row.finish = e.reason();
            row.text = e.text();
        });
        return ending.isPresent();
    }
}
