package dev.hir.pytorch.tokenizer;

import java.util.List;

/**
 * Text to token ids and back, as the policy uses it. Implementations load a Hugging Face
 * {@code tokenizer.json}.
 *
 * <p>Contract: {@code decode(encode(text))} equals {@code text} for any text (byte-level vocabularies
 * have no unknown tokens); {@link #pieces} concatenate to the text. Thread-safe for reads. The owner
 * closes it.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Token ids of a text, without special tokens. */
    int[] encode(String text);

    /** Text of token ids; special tokens (end of sequence, padding) are dropped. */
    String decode(int[] ids);

    /** The text of each token of {@code text}; they concatenate to {@code text}. */
    List<String> pieces(String text);

    /** The number of token ids. */
    int vocabSize();

    /** The end-of-sequence token id. */
    int endOfSequenceId();

    @Override
    void close();
}
