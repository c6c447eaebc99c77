package dev.hir.pytorch.sampling;

import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.tokenizer.TextTokenizer;

/** Every {@link SamplerTest} on the libtorch decoding steps, which the Java steps replace for small batches. */
class SamplerLibtorchStepsTest extends SamplerTest {
    @Override
    Sampler sampler(Gpt2Model m, TextTokenizer t, int maxBatchRows) {
        return new Sampler(m, t, maxBatchRows).withLibtorchStepsOnly();
    }
}
