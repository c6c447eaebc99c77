package dev.hir.pytorch.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.hir.api.Generation.FinishReason;
import dev.hir.api.GenerationConfig;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.tokenizer.HfTextTokenizer;
import dev.hir.pytorch.tokenizer.TextTokenizer;
import dev.hir.pytorch.testing.TinyTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTest {
    @TempDir
    static Path dir;

    private static NDManager manager;
    private static HfTextTokenizer tokenizer;
    private static Gpt2Model model;

    @BeforeAll
    static void open() throws Exception {
        manager = NDManager.newBaseManager();
        tokenizer = HfTextTokenizer.load(TinyTokenizer.write(dir.resolve("tokenizer.json")), Optional.empty());
        model = Gpt2Model.random(Gpt2Config.of(2, 32, 4, 256, tokenizer.vocabSize(), tokenizer.endOfSequenceId()), 3, manager);
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
        manager.close();
    }

    /** The sampler under test; {@link SamplerLibtorchStepsTest} runs every test on the libtorch steps. */
    Sampler sampler(Gpt2Model m, TextTokenizer t, int maxBatchRows) {
        return new Sampler(m, t, maxBatchRows);
    }

    @Test
    void javaAndLibtorchStepsDrawTheSameSamples() {
        List<String> prompts = List.of("Q: is the sum 1 + 1?\nA:", "x", "the end is near, is it?", "x");
        GenerationConfig config = GenerationConfig.sampling(3, 1.0, 40, 17);
        List<List<Sample>> java = new Sampler(model, tokenizer, 64).generate(ids(prompts), config);
        List<List<Sample>> libtorch = new Sampler(model, tokenizer, 64).withLibtorchStepsOnly().generate(ids(prompts), config);
        assertSameSamples(libtorch, java);
    }

    /** The same tokens and finish reasons, and log-probs within 1e-4, sample by sample. */
    private static void assertSameSamples(List<List<Sample>> want, List<List<Sample>> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).size(), got.get(i).size());
            for (int j = 0; j < want.get(i).size(); j++) {
                Sample a = got.get(i).get(j);
                Sample b = want.get(i).get(j);
                assertArrayEquals(b.tokens(), a.tokens(), "prompt " + i + " sample " + j);
                assertEquals(b.logProb(), a.logProb(), 1e-4);
                assertEquals(b.finishReason(), a.finishReason());
            }
        }
    }

    @Test
    void aBatchTooLargeForJavaStepsContinuesInJavaOnceFewRowsAreLeftAndDrawsTheSameSamples() {
        // 64 rows over up to ~230 positions start on libtorch steps; one-letter stop strings end most rows
        // within a few tokens, and the rest continue in Java.
        List<String> stops = new ArrayList<>();
        for (char c = 'a'; c <= 'y'; c++) {
            stops.add(String.valueOf(c));
        }
        var config = new GenerationConfig(16, true, 1.0, 0, 1.0, 200, stops, 23);
        List<String> prompts = List.of("Q: is the sum 1 + 1?\nA:", "x", "the end is near, is it?", "z z z");
        Sampler sampler = new Sampler(model, tokenizer, 64);
        List<Boolean> java = new ArrayList<>();
        sampler.observe((step, m, javaSteps) -> java.add(javaSteps));
        List<List<Sample>> switched = sampler.generate(ids(prompts), config);
        assertFalse(java.get(0), "the first steps of 64 rows run as libtorch operations");
        assertTrue(java.get(java.size() - 1), "the last steps run in Java");
        assertSameSamples(new Sampler(model, tokenizer, 64).withLibtorchStepsOnly().generate(ids(prompts), config),
                switched);
    }

    private static final List<String> PROMPTS = List.of("Q: is the sum 1 + 1?\nA:", "x", "the end is near, is it?");

    private static List<int[]> ids(List<String> prompts) {
        List<int[]> out = new ArrayList<>();
        for (String p : prompts) {
            out.add(tokenizer.encode(p));
        }
        return out;
    }

    @Test
    void leftPaddingDoesNotChangeARowsSamplesOrLogProbs() {
        var config = GenerationConfig.sampling(2, 1.0, 12, 42);
        List<List<Sample>> batched = sampler(model, tokenizer, 64).generate(ids(PROMPTS), config);
        for (int i = 0; i < PROMPTS.size(); i++) {
            // Alone in its batch, with the same prompt index, so the same per-sample seeds.
            List<String> single = new ArrayList<>(PROMPTS);
            List<List<Sample>> one = sampler(model, tokenizer, 1).generate(ids(single), config);
            for (int j = 0; j < 2; j++) {
                Sample a = batched.get(i).get(j);
                Sample b = one.get(i).get(j);
                assertArrayEquals(a.tokens(), b.tokens(), "prompt " + i + " sample " + j);
                assertEquals(a.logProb(), b.logProb(), 1e-4);
            }
        }
    }

    @Test
    void droppingFinishedRowsFromTheBatchChangesNoSample() {
        // Many one-character stop strings end rows at scattered steps, so the batch shrinks several times.
        List<String> stops = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            stops.add(String.valueOf(c));
        }
        var config = new GenerationConfig(4, true, 1.0, 0, 1.0, 40, stops, 8);
        List<List<Sample>> batched = sampler(model, tokenizer, 64).generate(ids(PROMPTS), config);
        List<List<Sample>> alone = sampler(model, tokenizer, 1).generate(ids(PROMPTS), config);
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            for (int j = 0; j < 4; j++) {
                Sample a = batched.get(i).get(j);
                Sample b = alone.get(i).get(j);
                assertArrayEquals(b.tokens(), a.tokens(), "prompt " + i + " sample " + j);
                assertEquals(b.text(), a.text());
                assertEquals(b.finishReason(), a.finishReason());
                assertEquals(b.logProb(), a.logProb(), 1e-4);
                lengths.add(a.tokens().length);
            }
        }
        assertTrue(lengths.size() >= 4, "rows ended at different steps: " + lengths);
    }

    @Test
    void reportedLogProbIsTheModelsOwnAndMatchesTheScorer() {
        var config = new GenerationConfig(3, true, 0.7, 20, 0.9, 8, List.of(), 5);
        List<int[]> prompts = ids(PROMPTS);
        List<List<Sample>> out = sampler(model, tokenizer, 64).generate(prompts, config);
        List<int[]> p = new ArrayList<>();
        List<int[]> c = new ArrayList<>();
        List<Double> want = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            for (Sample s : out.get(i)) {
                p.add(prompts.get(i));
                c.add(s.tokens());
                want.add(s.logProb());
            }
        }
        double[] got = new Scorer(model, 4).logProbs(p, c);
        for (int k = 0; k < got.length; k++) {
            assertEquals(want.get(k), got[k], 1e-4, "sample " + k);
        }
    }

    @Test
    void topKOfOneAndTinyTopPAreGreedy() {
        List<int[]> prompts = ids(PROMPTS);
        Sampler sampler = sampler(model, tokenizer, 64);
        List<List<Sample>> greedy = sampler.generate(prompts, GenerationConfig.greedy(10));
        List<List<Sample>> topK = sampler.generate(prompts, new GenerationConfig(2, true, 1.0, 1, 1.0, 10, List.of(), 9));
        List<List<Sample>> topP = sampler.generate(prompts, new GenerationConfig(2, true, 1.0, 0, 1e-6, 10, List.of(), 9));
        for (int i = 0; i < prompts.size(); i++) {
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(greedy.get(i).get(0).tokens(), topK.get(i).get(j).tokens());
                assertArrayEquals(greedy.get(i).get(0).tokens(), topP.get(i).get(j).tokens());
            }
        }
    }

    @Test
    void samplesDifferAcrossSeedsAndSamples() {
        List<int[]> prompts = ids(List.of("x"));
        Sampler sampler = sampler(model, tokenizer, 64);
        List<Sample> a = sampler.generate(prompts, GenerationConfig.sampling(4, 1.0, 10, 1)).get(0);
        List<Sample> b = sampler.generate(prompts, GenerationConfig.sampling(4, 1.0, 10, 2)).get(0);
        assertFalse(Arrays.equals(a.get(0).tokens(), a.get(1).tokens()));
        assertFalse(Arrays.equals(a.get(0).tokens(), b.get(0).tokens()));
    }

    @Test
    void generationStopsAtTheContextEnd() {
        Gpt2Config small = Gpt2Config.of(1, 16, 2, 12, tokenizer.vocabSize(), tokenizer.endOfSequenceId());
        try (Gpt2Model shortModel = Gpt2Model.random(small, 1, manager)) {
            int[] prompt = tokenizer.encode("abcdefghij");
            assertEquals(10, prompt.length);
            // Sampling with a flat distribution over ~270 tokens almost never hits the end token twice.
            Sample s = sampler(shortModel, tokenizer, 8).generate(List.of(prompt),
                    GenerationConfig.sampling(1, 50.0, 20, 4)).get(0).get(0);
            assertTrue(s.tokens().length <= 2, "at most 12 - 10 new tokens");
        }
    }

    @Test
    void samplesSharingTheirPromptsPrefillDrawWhatTheyDrawAlone() {
        // Three samples of each prompt, and one prompt given twice: one prefill per distinct prompt in the
        // batch, against batches of one row (nothing shared).
        List<int[]> prompts = ids(List.of("Q: is 1 + 1 two?\nA:", "x", "Q: is 1 + 1 two?\nA:"));
        var config = new GenerationConfig(3, true, 1.0, 0, 1.0, 16, List.of(), 11);
        List<List<Sample>> shared = sampler(model, tokenizer, 64).generate(prompts, config);
        List<List<Sample>> alone = sampler(model, tokenizer, 1).generate(prompts, config);
        for (int i = 0; i < prompts.size(); i++) {
            for (int j = 0; j < 3; j++) {
                assertArrayEquals(alone.get(i).get(j).tokens(), shared.get(i).get(j).tokens(), "prompt " + i + " sample " + j);
                assertEquals(alone.get(i).get(j).logProb(), shared.get(i).get(j).logProb(), 1e-4);
            }
        }
        assertFalse(Arrays.equals(shared.get(0).get(0).tokens(), shared.get(2).get(0).tokens()),
                "the repeated prompt has its own seeds");
    }

    @Test
    void greedyRowsOfDifferentLengthsRunToTheContextEndAsFullRecomputationDoes() {
        // A 12-token context: the 10-token prompt gets 2 tokens, the 4-token one 8, in one left-padded batch
        // whose cache (preallocated for the longest run) ends up full.
        Gpt2Config small = Gpt2Config.of(2, 32, 4, 12, tokenizer.vocabSize(), tokenizer.endOfSequenceId());
        try (Gpt2Model shortModel = Gpt2Model.random(small, 5, manager)) {
            List<int[]> prompts = List.of(tokenizer.encode("abcdefghij"), tokenizer.encode("wxyz"));
            assertEquals(10, prompts.get(0).length);
            assertEquals(4, prompts.get(1).length);
            List<List<Sample>> out = sampler(shortModel, tokenizer, 8).generate(prompts, GenerationConfig.greedy(20));
            for (int i = 0; i < prompts.size(); i++) {
                Sample got = out.get(i).get(0);
                int[] prompt = prompts.get(i);
                int[] sequence = Arrays.copyOf(prompt, 12);
                double logProb = 0;
                int length = prompt.length;
                // Greedy decoding by recomputing every position of the sequence so far, without a cache.
                while (length < 12) {
                    float[] logits;
                    try (ai.djl.ndarray.NDManager step = manager.newSubManager()) {
                        long[] ids = Arrays.stream(Arrays.copyOf(sequence, length)).asLongStream().toArray();
                        logits = shortModel.logits(step.create(ids, new ai.djl.ndarray.types.Shape(1, length)),
                                step.ones(new ai.djl.ndarray.types.Shape(1, length)))
                                .get(0, length - 1).logSoftmax(-1).toFloatArray();
                    }
                    int best = 0;
                    for (int v = 1; v < logits.length; v++) {
                        if (logits[v] > logits[best]) {
                            best = v;
                        }
                    }
                    logProb += logits[best];
                    sequence[length++] = best;
                    if (best == tokenizer.endOfSequenceId()) {
                        break;
                    }
                }
                int[] want = Arrays.copyOfRange(sequence, prompt.length, length);
                assertArrayEquals(want, got.tokens(), "prompt " + i);
                assertEquals(logProb, got.logProb(), 1e-4);
                assertEquals(FinishReason.LENGTH, got.finishReason(), "prompt " + i + " ran to the context end");
                assertEquals(12 - prompt.length, got.tokens().length);
            }
        }
    }

    @Test
    void managedArraysDoNotGrowOverHundredsOfSteps() {
        Sampler sampler = sampler(model, tokenizer, 64);
        int[] counts = new int[200];
        sampler.observe((step, m, javaSteps) -> counts[step] = m.getManagedArrays().size());
        // Top-k 1 over the non-EOS tokens would be greedy; a high temperature keeps all rows running.
        List<List<Sample>> out = sampler.generate(ids(PROMPTS), new GenerationConfig(2, true, 30.0, 0, 1.0, 150, List.of(), 3));
        long running = out.stream().flatMap(List::stream).filter(s -> s.finishReason() == FinishReason.LENGTH).count();
        assertTrue(running > 0, "some sample ran all 150 steps");
        assertTrue(counts[110] > 0);
        assertEquals(counts[10], counts[110], "managed arrays at step 10 vs 110");
        assertEquals(counts[10], counts[149], "managed arrays at step 10 vs 149");
    }
}
