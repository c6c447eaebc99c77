package dev.hir.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import dev.hir.api.StateLabel;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.api.TrainingStats;
import dev.hir.pytorch.testing.TinyTokenizer;
import dev.hir.pytorch.tokenizer.BpeTrainer;
import dev.hir.pytorch.train.OptimizerConfig;
import dev.hir.pytorch.train.StateHead;
import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PytorchPolicyTest {
    private static final List<TrainingSequence> FACTS = List.of(
            TrainingSequence.supervised("Q: 1 + 1\nA:", " 2"),
            TrainingSequence.supervised("Q: 2 + 2\nA:", " 4"),
            TrainingSequence.supervised("Q: is the sky blue?\nA:", " yes"));

    @TempDir
    Path dir;

    private Path tokenizer;

    @BeforeEach
    void writeTokenizer() throws Exception {
        tokenizer = TinyTokenizer.write(dir.resolve("tokenizer.json"));
    }

    private TrainablePolicy fresh(PytorchPolicyConfig.Init init, double learningRate) {
        var config = PytorchPolicyConfig.fresh(tokenizer.toString(), init, 5)
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(learningRate));
        return (TrainablePolicy) new PytorchPolicyFactory().create(config, new TestingPluginContext(0, dir));
    }

    @Test
    void overfitsAFewExamplesUntilGreedyDecodingReproducesThem() {
        try (TrainablePolicy policy = fresh(new PytorchPolicyConfig.Init(2, 32, 4, 32), 1e-2)) {
            TrainingStats first = policy.train(FACTS, new Objective.Nll());
            TrainingStats last = first;
            var arrays = ((PytorchPolicy) policy).model().manager().getParentManager();
            int afterFirstSteps = 0;
            for (int step = 1; step < 80; step++) {
                last = policy.train(FACTS, new Objective.Nll());
                if (step == 5) {
                    afterFirstSteps = arrays.getManagedArrays().size();
                }
            }
            assertEquals(80, policy.steps());
            assertEquals(afterFirstSteps, arrays.getManagedArrays().size(), "native arrays held after step 5 vs 80");
            assertTrue(last.loss() < first.loss() / 10, "loss " + first.loss() + " -> " + last.loss());
            List<String> prompts = FACTS.stream().map(TrainingSequence::prompt).toList();
            List<List<Generation>> out = policy.generate(prompts, GenerationConfig.greedy(8));
            for (int i = 0; i < FACTS.size(); i++) {
                Generation g = out.get(i).get(0);
                assertEquals(FACTS.get(i).target(), g.text(), "prompt " + i);
                assertEquals(Generation.FinishReason.END_OF_SEQUENCE, g.finishReason());
            }
        }
    }

    @Test
    void aStateHeadLearnsTheLabelledStatesAndAPolicyWithoutOneIgnoresThem() throws Exception {
        // The state after "a b a": how many a's were read (slot 0) at the end of each letter.
        List<TrainingSequence> batch = new ArrayList<>();
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < 8; i++) {
            StringBuilder prompt = new StringBuilder("Q:");
            List<StateLabel> labels = new ArrayList<>();
            int as = 0;
            for (int j = 0; j < 5; j++) {
                boolean a = r.nextBoolean();
                prompt.append(a ? " a" : " b");
                as += a ? 1 : 0;
                labels.add(new StateLabel(prompt.length() - 1, 0, as));
            }
            prompt.append("\nA:");
            batch.add(TrainingSequence.supervised(prompt.toString(), " " + as).withStateLabels(labels));
        }
        var headed = new PytorchPolicyConfig(null, tokenizer.toString(), new PytorchPolicyConfig.Init(1, 32, 4, 32),
                null, 5L, null, OptimizerConfig.defaults().withLearningRate(1e-2), null,
                new PytorchPolicyConfig.StateHeadConfig(1, 6, 1.0));
        try (TrainablePolicy policy = (TrainablePolicy) new PytorchPolicyFactory().create(headed, new TestingPluginContext(0, dir))) {
            double first = policy.train(batch, new Objective.Nll()).terms().get("state");
            assertEquals(Math.log(6), first, 1e-6);
            double last = first;
            for (int i = 0; i < 60; i++) {
                last = policy.train(batch, new Objective.Nll()).terms().get("state");
            }
            assertTrue(last < 0.3 * first, "state loss " + first + " -> " + last);
            policy.save(dir.resolve("headed"));
            assertTrue(Files.isRegularFile(dir.resolve("headed").resolve(StateHead.FILE)));
        }
        try (TrainablePolicy plain = fresh(new PytorchPolicyConfig.Init(1, 32, 4, 32), 1e-2)) {
            assertEquals(java.util.Set.of("nll"), plain.train(batch, new Objective.Nll()).terms().keySet());
        }
    }

    @Test
    void savedCheckpointReloadsWithTheSameBehaviourAndSavesBitIdentically() throws Exception {
        Path first = dir.resolve("ckpt/iter-1");
        List<List<Generation>> before;
        var sampling = GenerationConfig.sampling(2, 1.0, 6, 77);
        try (TrainablePolicy policy = fresh(new PytorchPolicyConfig.Init(2, 32, 4, 32), 1e-3)) {
            policy.train(FACTS, new Objective.Nll());
            policy.train(FACTS, new Objective.Nll());
            policy.save(first);
            before = policy.generate(List.of("Q: 1 + 1\nA:"), sampling);
        }
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(first.resolve(file)), file);
        }
        Path second = dir.resolve("ckpt/iter-2");
        var fromCheckpoint = PytorchPolicyConfig.ofCheckpoint(first.toString())
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(1e-3));
        try (TrainablePolicy loaded = (TrainablePolicy) new PytorchPolicyFactory()
                .create(fromCheckpoint, new TestingPluginContext(0, dir))) {
            assertEquals(2, loaded.steps());
            assertEquals(before, loaded.generate(List.of("Q: 1 + 1\nA:"), sampling));
            loaded.save(second);
        }
        try (var files = Files.list(first)) {
            for (Path f : files.toList()) {

                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(second.resolve(f.getFileName())), f.toString());
            }
        }
    }

    @Test
    void restoreResumesTrainingExactly() {
        Path saved = dir.resolve("resume");
        try (TrainablePolicy a = fresh(new PytorchPolicyConfig.Init(1, 16, 2, 32), 1e-2);
                TrainablePolicy b = fresh(new PytorchPolicyConfig.Init(1, 16, 2, 32), 1e-2)) {
            a.train(FACTS, new Objective.Nll());
            a.save(saved);
            TrainingStats continued = a.train(FACTS, new Objective.Nll());
            b.restore(saved);
            assertEquals(1, b.steps());
            TrainingStats resumed = b.train(FACTS, new Objective.Nll());
            assertEquals(continued.loss(), resumed.loss(), 1e-6);
            assertEquals(2, b.steps());
        }
    }

    @Test
    void trainsWithTheHirAndGroupRelativeObjectivesOnSampledOutputs() {
        var config = new PytorchPolicyConfig(null, tokenizer.toString(), new PytorchPolicyConfig.Init(1, 16, 2, 48),
                null, 5L, null, OptimizerConfig.defaults().withLearningRate(1e-2), true);
        try (TrainablePolicy policy = (TrainablePolicy) new PytorchPolicyFactory().create(config, new TestingPluginContext(0, dir))) {
            String prompt = "Q: 1 + 1\nA:";
            List<Generation> samples = policy.generate(List.of(prompt), GenerationConfig.sampling(4, 1.0, 5, 3)).get(0);
            List<TrainingSequence> group = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Generation g = samples.get(i);
                group.add(new TrainingSequence(prompt, g.text(), g.finishReason() == Generation.FinishReason.END_OF_SEQUENCE,
                        List.of(), i % 2 == 0 ? 1.0 : 0.0, List.of(), OptionalDouble.of(g.logProb()), "q1"));
            }
            // The importance ratio needs the log-probability of the tokens actually sampled, even where the
            // tokenizer would encode the sampled text differently.
            for (Generation g : samples) {
                boolean eos = g.finishReason() == Generation.FinishReason.END_OF_SEQUENCE;
                assertEquals(g.logProb(), policy.logProbs(List.of(new Continuation(prompt, g.text(), eos)))[0], 1e-4);
            }
            TrainingStats grpo = policy.train(group, new Objective.GroupRelative(0.2, 0.1));
            assertTrue(Double.isFinite(grpo.loss()), grpo.toString());
            List<TrainingSequence> hir = List.of(
                    new TrainingSequence("Correct. " + prompt, " 2", true, List.of("Wrong. " + prompt), 1.0,
                            List.of(" 2", " 3"), OptionalDouble.empty(), "q1"),
                    new TrainingSequence("Wrong. " + prompt, " 3", true, List.of("Correct. " + prompt), 1.0,
                            List.of(" 2", " 3"), OptionalDouble.empty(), "q1"));
            TrainingStats paper = policy.train(hir, Objective.Hir.paper());
            TrainingStats pairwise = policy.train(hir, new Objective.Hir(0.1, Objective.Smoothing.ANSWER_TOKENS, 1.0, 0.0,
                    Objective.Contrastive.PAIRWISE));
            assertTrue(Double.isFinite(paper.loss()) && Double.isFinite(pairwise.loss()));
            assertEquals(3, policy.steps());
        }
    }

    @Test
    void worksWithATokenizerFromTheProjectsBpeTrainer() throws Exception {
        List<String> corpus = new ArrayList<>();
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < 10; b++) {
                corpus.add("Q: " + a + " + " + b + "\nA: " + (a + b));
            }
        }
        var trained = new BpeTrainer(BpeTrainer.Config.ofVocabSize(300))
                .train(corpus);
        Path file = dir.resolve("trained-tokenizer.json");
        trained.vocabulary().writeTokenizerJson(file);
        var config = PytorchPolicyConfig.fresh(file.toString(), new PytorchPolicyConfig.Init(1, 16, 2, 32), 3)
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(1e-2));
        try (TrainablePolicy policy = (TrainablePolicy) new PytorchPolicyFactory().create(config, new TestingPluginContext(0, dir))) {
            var model = ((PytorchPolicy) policy).model().config();
            assertEquals(trained.vocabulary().vocabSize(), model.vocabSize());
            assertEquals(trained.vocabulary().endOfSequenceId(), model.eosTokenId());
            TrainingStats first = policy.train(FACTS, new Objective.Nll());
            TrainingStats second = policy.train(FACTS, new Objective.Nll());
            assertTrue(second.loss() < first.loss());
            Generation g = policy.generate(List.of("Q: 3 + 4\nA:"), GenerationConfig.sampling(1, 1.0, 6, 8)).get(0).get(0);
            boolean eos = g.finishReason() == Generation.FinishReason.END_OF_SEQUENCE;
            assertEquals(g.logProb(), policy.logProbs(List.of(new Continuation("Q: 3 + 4\nA:", g.text(), eos)))[0], 1e-4);
        }
    }

    @Test
    void reloadTakesTheWeightsOfACheckpointOrKeepsTheOldOnesOnFailure() {
        Path saved = dir.resolve("weights");
        Path other = dir.resolve("other");
        var init = new PytorchPolicyConfig.Init(1, 16, 2, 32);
        List<String> prompts = List.of("Q: 1 + 1\nA:");
        var greedy = GenerationConfig.greedy(6);
        try (TrainablePolicy trained = fresh(init, 1e-2);
                PytorchPolicy rollout = (PytorchPolicy) new PytorchPolicyFactory().create(
                        PytorchPolicyConfig.fresh(tokenizer.toString(), init, 99), new TestingPluginContext(0, dir));
                TrainablePolicy bigger = fresh(new PytorchPolicyConfig.Init(2, 16, 2, 32), 1e-2)) {
            for (int i = 0; i < 5; i++) {
                trained.train(FACTS, new Objective.Nll());
            }
            trained.save(saved);
            bigger.save(other);
            List<List<Generation>> before = rollout.generate(prompts, greedy);
            assertThrows(InvalidInputException.class, () -> rollout.reload(other));
            assertEquals(before, rollout.generate(prompts, greedy));
            rollout.reload(saved);
            assertEquals(trained.generate(prompts, greedy), rollout.generate(prompts, greedy));
            assertEquals(5, rollout.steps());
        }
    }

    @Test
    void repeatedGenerateAndScoreCallsHoldNoNativeArrays() {
        try (TrainablePolicy policy = fresh(new PytorchPolicyConfig.Init(1, 16, 2, 32), 1e-3)) {
            var arrays = ((PytorchPolicy) policy).model().manager().getParentManager();
            int held = arrays.getManagedArrays().size();
            for (int call = 0; call < 30; call++) {
                List<Generation> out = policy.generate(List.of("Q: 1 + 1\nA:", "x"), GenerationConfig.sampling(3, 1.0, 8, call))
                        .get(0);
                policy.logProbs(List.of(new Continuation("Q: 1 + 1\nA:", out.get(0).text(), false)));
            }
            assertEquals(held, arrays.getManagedArrays().size());
        }
    }

    @Test
    void longPromptsAreCutOnTheLeftOrRejectedAsConfigured() {
        String longPrompt = "abcdefghij".repeat(10);
        var init = new PytorchPolicyConfig.Init(1, 16, 2, 32);
        try (TrainablePolicy truncating = fresh(init, 1e-3)) {
            Generation g = truncating.generate(List.of(longPrompt), GenerationConfig.greedy(4)).get(0).get(0);
            assertTrue(g.tokens() >= 1);
            double[] lp = truncating.logProbs(List.of(new Continuation(longPrompt, " yes", true)));
            assertTrue(lp[0] < 0);
        }
        var strict = PytorchPolicyConfig.fresh(tokenizer.toString(), init, 5).withContextOverflow("error");
        try (TrainablePolicy policy = (TrainablePolicy) new PytorchPolicyFactory().create(strict, new TestingPluginContext(0, dir))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> policy.generate(List.of("x", longPrompt), GenerationConfig.greedy(4)));
            assertEquals("prompts[1]", e.source());
            assertThrows(InvalidInputException.class,
                    () -> policy.logProbs(List.of(new Continuation(longPrompt, " yes", true))));
        }
    }

    @Test
    void configRejectsContradictionsWithTheFieldName() {
        var init = new PytorchPolicyConfig.Init(null, null, null, null);
        assertEquals("checkpoint", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig(null, null, null, null, null, null, null, null)).source());
        assertEquals("init", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig("ckpt", null, init, null, null, null, null, null)).source());
        assertEquals("tokenizer", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig(null, null, init, null, null, null, null, null)).source());
        assertEquals("contextOverflow", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig(null, "t.json", init, "drop", null, null, null, null)).source());
        assertEquals("init.nHead", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig.Init(2, 30, 4, 64)).source());
        assertEquals("init.positionInit", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig.Init(2, 32, 4, 64, "learned", null)).source());
        assertEquals("random", init.positionInit());
        assertEquals("init.activationFunction", assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyConfig.Init(2, 32, 4, 64, null, "relu")).source());
        assertEquals("gelu_new", init.activationFunction());
        var defaults = new PytorchPolicyConfig(null, "t.json", init, null, null, null, null, null);
        assertEquals(ContextOverflow.TRUNCATE_LEFT, defaults.overflow());
        assertEquals(128, defaults.init().nEmbd());
    }

    @Test
    void missingCheckpointFolderIsAnInputError() {
        var config = PytorchPolicyConfig.ofCheckpoint("no-such-folder");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new PytorchPolicyFactory().create(config, new TestingPluginContext(0, dir)));
        assertTrue(e.source().endsWith("no-such-folder"), e.source());
    }
}
