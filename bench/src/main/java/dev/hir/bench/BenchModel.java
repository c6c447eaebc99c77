package dev.hir.bench;

import dev.hir.pytorch.model.Activation;
import dev.hir.pytorch.model.Gpt2Config;

/**
 * A model size of the policy benchmark (FEASIBILITY.md's configs) and the matmul FLOPs of its work, counted
 * as FEASIBILITY.md counts them so the GFLOP/s of both engines and of that study compare: per token
 * {@code 24 L d²} (QKV, output projection, MLP) plus {@code 4 L d ctx} for attention (the full square, no
 * causal skipping) plus {@code 2 V d} per position that goes through the LM head; training is 3× the forward.
 *
 * @param name {@code a} or {@code b}
 * @param nLayer blocks
 * @param nEmbd width
 * @param nHead heads
 * @param nPositions context
 * @param vocabSize vocabulary of the model (the tokenizer has one id less, see {@link EosFreeTokenizer})
 * @param activation the MLP's activation (GPT-2's {@code gelu_new} unless a run asks for the exact GELU)
 */
record BenchModel(String name, int nLayer, int nEmbd, int nHead, int nPositions, int vocabSize, Activation activation) {

    /** FEASIBILITY.md (a): about 0.48M parameters. */
    static final BenchModel A = new BenchModel("a", 2, 128, 4, 128, 512, Activation.GELU_NEW);
    /** FEASIBILITY.md (b): about 3.7M parameters. */
    static final BenchModel B = new BenchModel("b", 4, 256, 8, 256, 2048, Activation.GELU_NEW);

    static BenchModel named(String name) {
        return switch (name) {
            case "a" -> A;
            case "b" -> B;
            default -> throw new IllegalArgumentException("unknown model config '" + name + "' (a or b)");
        };
    }

    /** The same sizes with another MLP activation. */
    BenchModel withActivation(Activation other) {
        return new BenchModel(name, nLayer, nEmbd, nHead, nPositions, vocabSize, other);
    }

    /** The model's GPT-2 config; the end-of-sequence id is the last id, which the tokenizer lacks. */
    Gpt2Config gpt2Config() {
        return Gpt2Config.of(nLayer, nEmbd, nHead, nPositions, vocabSize, vocabSize - 1).withActivation(activation);
    }

    private double perTokenBody(int context) {
        double d = nEmbd;
        return 24.0 * nLayer * d * d + 4.0 * nLayer * d * context;
    }

    private double head() {
        return 2.0 * vocabSize * nEmbd;
    }

    /** Matmul FLOPs of one training step (forward, backward, LM head on every position) on {@code batch × length}. */
    double trainingFlops(int batch, int length) {
        return 3.0 * batch * length * (perTokenBody(length) + head());
    }

    /**
     * Matmul FLOPs of cached sampling: a prefill of {@code prompt} tokens (LM head on the last one), then
     * {@code newTokens - 1} single-token steps (the last token needs no forward pass) whose attention spans
     * the tokens so far.
     */
    double samplingFlops(int batch, int prompt, int newTokens) {
        double flops = prompt * perTokenBody(prompt) + head();
        for (int step = 1; step < newTokens; step++) {
            flops += perTokenBody(prompt + step) + head();
        }
        return batch * flops;
    }
}
