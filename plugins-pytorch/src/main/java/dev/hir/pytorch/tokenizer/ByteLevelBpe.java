package dev.hir.pytorch.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A byte-level BPE vocabulary in GPT-2's form: special tokens, the 256 byte tokens, then one token per
 * merge, and what it takes to write it as a Hugging Face {@code tokenizer.json}.
 *
 * <p>Token strings use GPT-2's byte-to-character table (a space is {@code Ġ}, a newline {@code Ċ}), as
 * {@code tokenizer.json} stores them. Ids are positions in {@link #tokens}: special tokens first (the end
 * of sequence at 0), bytes in byte order, merged tokens in merge order.
 *
 * @param specialTokens the special tokens, end of sequence first; encoders never split them
 * @param merges the merges in rank order: merge {@code r} makes token {@code specials + 256 + r}
 */
public record ByteLevelBpe(List<String> specialTokens, List<Merge> merges) {

    /** The 256 byte tokens that make every text encodable. */
    public static final int BYTE_TOKENS = 256;

    /**
     * One merge: two adjacent tokens that become one.
     *
     * @param left the left token, in byte-level characters
     * @param right the right token, in byte-level characters
     */
    public record Merge(String left, String right) {
        public Merge {
            requireByteLevel(left, "left");
            requireByteLevel(right, "right");
        }

        /** The merged token. */
        public String token() {
            return left + right;
        }
    }

    public ByteLevelBpe {
        specialTokens = List.copyOf(specialTokens);
        merges = List.copyOf(merges);
        if (specialTokens.isEmpty()) {
            throw new IllegalArgumentException("at least the end-of-sequence special token is needed");
        }
        Set<String> seen = new HashSet<>();
        for (String s : specialTokens) {
            requireWellFormed(s);
            if (!seen.add(s)) {
                throw new IllegalArgumentException("duplicate special token " + s);
            }
        }
        for (int b = 0; b < BYTE_TOKENS; b++) {
            if (!seen.add(String.valueOf(ByteLevelAlphabet.charOf(b)))) {
                throw new IllegalArgumentException(
                        "special token " + ByteLevelAlphabet.charOf(b) + " is also a byte token");
            }
        }
        for (Merge m : merges) {
            // A merge may only join tokens that exist before it, and must make a new one.
            if (!seen.contains(m.left()) || !seen.contains(m.right())) {
                throw new IllegalArgumentException("merge " + m + " uses a token that no earlier merge made");
            }
            if (!seen.add(m.token())) {
                throw new IllegalArgumentException("merge " + m + " makes a token that already exists");
            }
        }
    }

    /** All tokens, indexed by id. */
    public List<String> tokens() {
        String[] out = new String[vocabSize()];
        int id = 0;
        for (String s : specialTokens) {
            out[id++] = s;
        }
        for (int b = 0; b < BYTE_TOKENS; b++) {
            out[id++] = String.valueOf(ByteLevelAlphabet.charOf(b));
        }
        for (Merge m : merges) {
            out[id++] = m.token();
        }
        return List.of(out);
    }

    /** The number of tokens: specials, bytes and merges. */
    public int vocabSize() {
        return specialTokens.size() + BYTE_TOKENS + merges.size();
    }

    /** The id of the end-of-sequence token. */
    public int endOfSequenceId() {
        return 0;
    }

    /** The Hugging Face {@code tokenizer.json} text of this vocabulary; the same vocabulary gives the same text. */
    public String toTokenizerJson() {
        return TokenizerJson.write(this);
    }

    /**
     * Writes {@link #toTokenizerJson()} to {@code file} atomically: a reader sees the old file or the new one,
     * never a part.
     */
    public void writeTokenizerJson(Path file) throws IOException {
        AtomicFiles.write(file, toTokenizerJson().getBytes(StandardCharsets.UTF_8));
    }

    private static void requireWellFormed(String special) {
        if (special.isEmpty()) {
            throw new IllegalArgumentException("a special token is empty");
        }
        for (int i = 0; i < special.length(); i++) {
            char c = special.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < special.length()
                    && Character.isLowSurrogate(special.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // UTF-8 cannot carry a lone surrogate, so the token could never be written or matched.
                throw new IllegalArgumentException("special token " + special + " has a lone surrogate");
            }
        }
    }

    private static void requireByteLevel(String token, String what) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(what + " token is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            if (ByteLevelAlphabet.byteOf(token.charAt(i)) < 0) {
                throw new IllegalArgumentException(what + " token " + token + " has a character outside the byte-level"
                        + " alphabet: U+" + Integer.toHexString(token.charAt(i)));
            }
        }
    }
}
