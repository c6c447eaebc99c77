package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * (prompt, target) rows laid out as one right-padded batch: row {@code r} holds {@code prompt + target}
 * without the target's last token (no position predicts past it), and position {@code t} of a row is a
 * target position when it predicts a target token, i.e. its label is {@code input[t + 1]}. Labels and
 * masks cover the window from the first target position of any row to the end.
 */
final class TokenBatch {

    /** One row: the context and the tokens scored after it. */
    record Row(int[] prompt, int[] target) {}

    private final int rows;
    private final int width;
    private final long[] inputIds;
    private final float[] attention;
    private final long[] labels;
    private final int[] targetLengths;
    private final int[] targetStarts;
    private final int offset;

    private TokenBatch(List<Row> rowList) {
        rows = rowList.size();
        int w = 0;
        for (Row row : rowList) {
            w = Math.max(w, row.prompt().length + row.target().length - 1);
        }
        width = w;
        inputIds = new long[rows * width];
        attention = new float[rows * width];
        labels = new long[rows * width];
        targetLengths = new int[rows];
        targetStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            int[] prompt = rowList.get(r).prompt();
            int[] target = rowList.get(r).target();
            int base = r * width;
            for (int t = 0; t < prompt.length; t++) {
                inputIds[base + t] = prompt[t];
                attention[base + t] = 1f;
            }
            for (int j = 0; j < target.length - 1; j++) {
                inputIds[base + prompt.length + j] = target[j];
                attention[base + prompt.length + j] = 1f;
            }
            targetStarts[r] = prompt.length - 1;
            targetLengths[r] = target.length;
            for (int j = 0; j < target.length; j++) {
                labels[base + prompt.length - 1 + j] = target[j];
            }
        }
        int first = width;
        for (int start : targetStarts) {
            first = Math.min(first, start);
        }
        offset = first;
    }

    /**
     * Lays out rows, checking that every token id is in the vocabulary and every target has a token.
     *
     * @param describe names row {@code r} in error messages (e.g. "sequence 3")
     */
    static TokenBatch of(List<Row> rows, int vocabSize, java.util.function.IntFunction<String> describe) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to score");
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.prompt().length == 0) {
                throw new IllegalArgumentException(describe.apply(r) + " has an empty prompt");
            }
            if (row.target().length == 0) {
                throw new IllegalArgumentException(describe.apply(r) + " has no target tokens to learn");
            }
            checkIds(row.prompt(), vocabSize, describe.apply(r) + " prompt");
            checkIds(row.target(), vocabSize, describe.apply(r) + " target");
        }
        return new TokenBatch(rows);
    }

    /**
     * Checks everything of a sequence that any objective may score: a non-empty target, and prompt,
     * target, contrast prompts and answer tokens inside the vocabulary.
     *
     * @param name the sequence in error messages, e.g. "sequence 3"
     */
    static void checkSequence(EncodedSequence s, int vocabSize, String name) {
        if (s.targetIds().length == 0) {
            throw new IllegalArgumentException(name + " has no target tokens to learn");
        }
        checkIds(s.promptIds(), vocabSize, name + " prompt");
        checkIds(s.targetIds(), vocabSize, name + " target");
        for (int c = 0; c < s.contrastPromptIds().size(); c++) {
            if (s.contrastPromptIds().get(c).length == 0) {
                throw new IllegalArgumentException(name + " has an empty contrast prompt " + c);
            }
            checkIds(s.contrastPromptIds().get(c), vocabSize, name + " contrast prompt " + c);
        }
        checkIds(s.answerTokenIds(), vocabSize, name + " answer tokens");
    }

    private static void checkIds(int[] ids, int vocabSize, String what) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(what + " holds token id " + id + " outside [0, " + vocabSize + ")");
            }
        }
    }

    int rows() {
        return rows;
    }

    /**
     * The first position of any row that predicts a target token: the scores cover the window of
     * positions from here to the end (earlier positions only predict prompt tokens).
     */
    int firstTargetPosition() {
        return offset;
    }

    /** Positions in the scored window. */
    int windowWidth() {
        return width - offset;
    }

    /** The label of window position {@code w} of row {@code r}; meaningful at target positions only. */
    int label(int r, int w) {
        return (int) labels[r * width + offset + w];
    }

    /** Whether window position {@code w} of row {@code r} predicts a target token. */
    boolean isTarget(int r, int w) {
        int t = offset + w;
        return t >= targetStarts[r] && t < targetStarts[r] + targetLengths[r];
    }

    int targetLength(int r) {
        return targetLengths[r];
    }

    /** int64 {@code [N, T]} token ids, padded with 0. */
    NDArray inputIds(NDManager manager) {
        return manager.create(inputIds, new Shape(rows, width));
    }

    /** float32 {@code [N, T]}: 1 on real tokens. */
    NDArray attentionMask(NDManager manager) {
        return manager.create(attention, new Shape(rows, width));
    }

    /** int64 {@code [N, W]}: the token each window position predicts, 0 where it predicts none. */
    NDArray labels(NDManager manager) {
        int w = windowWidth();
        long[] window = new long[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(labels, r * width + offset, window, r * w, w);
        }
        return manager.create(window, new Shape(rows, w));
    }

    /** {@code [N, W]} of the given type: 1 at the window's target positions. */
    NDArray targetMask(NDManager manager, DataType type) {
        int w = windowWidth();
        double[] mask = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < targetLengths[r]; j++) {
                mask[r * w + targetStarts[r] - offset + j] = 1.0;
            }
        }
        return manager.create(mask, new Shape(rows, w)).toType(type, false);
    }

    /** {@code [N]} of the given type: the target length of each row. */
    NDArray targetLengths(NDManager manager, DataType type) {
        double[] lengths = new double[rows];
        for (int r = 0; r < rows; r++) {
            lengths[r] = targetLengths[r];
        }
        return manager.create(lengths).toType(type, false);
    }
}
