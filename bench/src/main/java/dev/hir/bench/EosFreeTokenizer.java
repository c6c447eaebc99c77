package dev.hir.bench;

import dev.hir.pytorch.tokenizer.TextTokenizer;
import java.util.List;

/**
 * The project's byte-level BPE tokenizer of {@code V - 1} ids, presented to the sampler with the model's
 * extra last id {@code V - 1} as end of sequence. The sampler never chooses an id the tokenizer lacks
 * (a model's vocabulary may be padded beyond its tokenizer's), so every sample runs to its token limit and
 * each timed call does the same work, as in the Python script. The tokenizer's own {@code <|endoftext|>} is
 * then an ordinary token that does not stop decoding.
 */
final class EosFreeTokenizer implements TextTokenizer {
    private final TextTokenizer delegate;
    private final int modelVocabSize;

    /** @param modelVocabSize the model's vocabulary: exactly one id more than {@code delegate}'s */
    EosFreeTokenizer(TextTokenizer delegate, int modelVocabSize) {
        if (delegate.vocabSize() != modelVocabSize - 1) {
            throw new IllegalArgumentException("the tokenizer has " + delegate.vocabSize() + " ids; need "
                    + (modelVocabSize - 1) + " for a model of " + modelVocabSize);
        }
        this.delegate = delegate;
        this.modelVocabSize = modelVocabSize;
    }

    @Override
    public int[] encode(String text) {
        return delegate.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return delegate.decode(ids);
    }

    @Override
    public List<String> pieces(String text) {
        return delegate.pieces(text);
    }

    @Override
    public int vocabSize() {
        return delegate.vocabSize();
    }

    @Override
    public int endOfSequenceId() {
        return modelVocabSize - 1;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
