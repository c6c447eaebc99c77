package dev.hir.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Objective;
import dev.hir.api.PluginContext;
import dev.hir.api.ReloadablePolicy;
import dev.hir.api.StateLabel;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.api.TrainingStats;
import dev.hir.pytorch.checkpoint.Checkpoint;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.sampling.Sample;
import dev.hir.pytorch.sampling.Sampler;
import dev.hir.pytorch.sampling.Scorer;
import dev.hir.pytorch.tokenizer.HfTextTokenizer;
import dev.hir.pytorch.train.AdamW;
import dev.hir.pytorch.train.CausalLm;
import dev.hir.pytorch.train.EncodedSequence;
import dev.hir.pytorch.train.StateHead;
import dev.hir.pytorch.train.StateTarget;
import dev.hir.pytorch.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pytorch} policy: a {@link Gpt2Model}, its tokenizer, a {@link Sampler} and {@link Scorer}, and
 * a {@link Trainer} from the objectives package. Not thread-safe.
 */
public final class PytorchPolicy implements TrainablePolicy, ReloadablePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PytorchPolicy.class);
    private static final int REMEMBERED_GENERATIONS = 8192;

    private final NDManager manager;
    private final PytorchPolicyConfig config;
    private final Optional<Gpt2Model> reference;
    private final HfTextTokenizer tokenizer;
    private final byte[] tokenizerJson;
    private final ContextOverflow overflow;
    private Gpt2Model model;
    private Sampler sampler;
    private Scorer scorer;
    private Trainer trainer;
    private final Map<GeneratedText, int[]> generatedTokens;
    private boolean closed;

    /**
     * The text of a sample this policy generated for a prompt. Decoding is not injective (a sampled
     * token sequence may differ from the tokenizer's encoding of its text, and a partial UTF-8 character
     * decodes to U+FFFD), so scores and training targets of a generated text use the tokens actually
     * sampled when they are known.
     */
    private record GeneratedText(String prompt, String text) {}

    private PytorchPolicy(NDManager manager, Gpt2Model model, HfTextTokenizer tokenizer, byte[] tokenizerJson,
            PytorchPolicyConfig config) {
        this.manager = manager;
        this.config = config;
        this.tokenizer = tokenizer;
        this.tokenizerJson = tokenizerJson;
        this.overflow = config.overflow();
        this.reference = config.klReference() ? Optional.of(model.frozenCopy(manager)) : Optional.empty();
        use(model);
        this.generatedTokens = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<GeneratedText, int[]> eldest) {
                return size() > REMEMBERED_GENERATIONS;
            }
        };
    }

    private void use(Gpt2Model weights) {
        this.model = weights;
        this.sampler = new Sampler(weights, tokenizer, config.maxBatchSize());
        this.scorer = new Scorer(weights, config.maxBatchSize());
        this.trainer = newTrainer(weights);
    }

    private Trainer newTrainer(Gpt2Model weights) {
        Optional<StateHead> head = config.stateHeadIfGiven().map(h ->
                new StateHead(weights.config().nEmbd(), h.slots(), h.values(), h.weight(), manager));
        return new Trainer(weights, config.optimizer(), reference.map(r -> (CausalLm) r), head);
    }

    /** Creates the policy a configuration describes. */
    static PytorchPolicy create(PytorchPolicyConfig config, PluginContext context) {
        // After the engine load, which loads the native library the thread setting lives in.
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        setThreads(context.computeThreads());
        HfTextTokenizer tokenizer = null;
        Gpt2Model model = null;
        try {
            Path tokenizerFile;
            Optional<Path> checkpoint = Optional.ofNullable(config.checkpoint()).map(c -> ShippedModels.resolve(c, context));
            Optional<Integer> eos = Optional.empty();
            if (checkpoint.isPresent()) {
                Gpt2Config modelConfig = Checkpoint.readConfig(checkpoint.get());
                tokenizerFile = checkpoint.get().resolve(Checkpoint.TOKENIZER);
                eos = Optional.of(modelConfig.eosTokenId());
            } else {
                tokenizerFile = context.resolve(config.tokenizer());
            }
            if (!Files.isRegularFile(tokenizerFile)) {
                throw new InvalidInputException(checkpoint.isPresent() ? "checkpoint" : "tokenizer",
                        "no tokenizer file " + tokenizerFile);
            }
            byte[] tokenizerJson = Files.readAllBytes(tokenizerFile);
            tokenizer = HfTextTokenizer.load(tokenizerFile, eos);
            if (checkpoint.isPresent()) {
                model = Checkpoint.loadModel(checkpoint.get(), manager);
            } else {
                PytorchPolicyConfig.Init init = config.init();
                Gpt2Config sizes = Gpt2Config.of(init.nLayer(), init.nEmbd(), init.nHead(), init.nPositions(),
                        tokenizer.vocabSize(), tokenizer.endOfSequenceId()).withActivation(init.activation());
                model = Gpt2Model.random(sizes, config.seedIfGiven().orElse(context.seed()), manager, init.sinusoidalPositions());
            }
            if (tokenizer.vocabSize() > model.vocabSize()) {
                throw new InvalidInputException(tokenizerFile.toString(), "the tokenizer has " + tokenizer.vocabSize()
                        + " ids but the model only " + model.vocabSize());
            }
            PytorchPolicy policy = new PytorchPolicy(manager, model, tokenizer, tokenizerJson, config);
            if (checkpoint.isPresent() && Files.exists(checkpoint.get().resolve(AdamW.META_FILE))) {
                policy.trainer.loadState(checkpoint.get());
            }
            return policy;
        } catch (IOException e) {
            closeQuietly(tokenizer, model, manager);
            throw new InvalidInputException(config.checkpoint() != null ? "checkpoint" : "tokenizer",
                    "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(tokenizer, model, manager);
            throw e;
        }
    }

    private static void setThreads(int threads) {
        try {
            JniUtils.setNumThreads(threads);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn("cannot set the number of compute threads to {}: {}", threads, e.getMessage());
        }
    }

    private static void closeQuietly(HfTextTokenizer tokenizer, Gpt2Model model, NDManager manager) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (model != null) {
            model.close();
        }
        manager.close();
    }

    /** The model. */
    public Gpt2Model model() {
        return model;
    }

    /** The tokenizer. */
    public HfTextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<List<Generation>> generate(List<String> prompts, GenerationConfig config) {
        requireOpen();
        if (prompts.isEmpty()) {
            return List.of();
        }
        int positions = model.config().nPositions();
        // Room for the answer: a prompt may use the context up to what maxNewTokens needs, but never more
        // than half of it, so a huge maxNewTokens does not cut every prompt to nothing.
        int reserve = Math.min(config.maxNewTokens(), positions / 2);
        List<int[]> ids = new ArrayList<>(prompts.size());
        int truncated = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = promptIds(prompts.get(i));
            int room = positions - reserve;
            if (p.length > room) {
                p = fit(p, room, "prompts[" + i + "]",
                        "with maxNewTokens " + config.maxNewTokens() + " the context of " + positions + " leaves " + room);
                truncated++;
            }
            ids.add(p);
        }
        if (truncated > 0) {
            LOG.warn("{} of {} prompts were longer than the context allows and lost their first tokens", truncated,
                    prompts.size());
        }
        List<List<Sample>> samples = sampler.generate(ids, config);
        List<List<Generation>> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            List<Generation> list = new ArrayList<>(samples.get(i).size());
            for (Sample s : samples.get(i)) {
                remember(prompts.get(i), s);
                list.add(s.toGeneration());
            }
            out.add(list);
        }
        return out;
    }

    private void remember(String prompt, Sample s) {
        if (s.finishReason() == Generation.FinishReason.STOP_STRING) {
            return;
        }
        int[] tokens = s.finishReason() == Generation.FinishReason.END_OF_SEQUENCE
                ? Arrays.copyOf(s.tokens(), s.tokens().length - 1)
                : s.tokens();
        generatedTokens.put(new GeneratedText(prompt, s.text()), tokens);
    }

    @Override
    public double[] logProbs(List<Continuation> continuations) {
        requireOpen();
        List<int[]> prompts = new ArrayList<>(continuations.size());
        List<int[]> targets = new ArrayList<>(continuations.size());
        for (int i = 0; i < continuations.size(); i++) {
            Continuation c = continuations.get(i);
            int[] target = continuationIds(c.prompt(), c.continuation(), c.endOfSequence());
            prompts.add(fitPrompt(promptIds(c.prompt()), target.length, "continuations[" + i + "]"));
            targets.add(target);
        }
        return scorer.logProbs(prompts, targets);
    }

    @Override
    public List<String> tokenPieces(String text) {
        requireOpen();
        return tokenizer.pieces(text);
    }

    @Override
    public TrainingStats train(List<TrainingSequence> batch, Objective objective) {
        requireOpen();
        List<EncodedSequence> encoded = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TrainingSequence s = batch.get(i);
            String where = "batch[" + i + "]";
            int[] target = continuationIds(s.prompt(), s.target(), s.endOfSequence());
            List<int[]> contrasts = new ArrayList<>(s.contrastPrompts().size());
            for (String c : s.contrastPrompts()) {
                contrasts.add(fitPrompt(promptIds(c), target.length, where + ".contrastPrompts"));
            }
            TreeSet<Integer> answerTokens = new TreeSet<>();
            for (String answer : s.answerSet()) {
                for (int id : tokenizer.encode(answer)) {
                    answerTokens.add(id);
                }
            }
            int[] fullPrompt = promptIds(s.prompt());
            int[] prompt = fitPrompt(fullPrompt, target.length, where);
            encoded.add(new EncodedSequence(
                    prompt,
                    target,
                    contrasts,
                    s.weight(),
                    answerTokens.stream().mapToInt(Integer::intValue).toArray(),
                    s.behaviorLogProb(),
                    s.group(),
                    stateTargets(s, fullPrompt.length, fullPrompt.length - prompt.length)));
        }
        return trainer.step(encoded, objective);
    }

    @Override
    public void save(Path directory) {
        requireOpen();
        Checkpoint.write(directory, model, tokenizerJson, trainer::saveState);
    }

    @Override
    public void restore(Path directory) {
        requireOpen();
        if (!Files.exists(directory.resolve(AdamW.META_FILE))) {
            throw new InvalidInputException(directory.toString(),
                    "no optimizer state (" + AdamW.META_FILE + "): not saved by a trainable policy");
        }
        swapIn(directory);
    }

    /**
     * Replaces the weights with those of a checkpoint of the same model and tokenizer; the optimizer state
     * comes from the checkpoint when it has one and starts afresh otherwise. If loading fails, the current
     * weights stay in use.
     */
    @Override
    public void reload(Path checkpoint) {
        requireOpen();
        swapIn(checkpoint);
    }

    private void swapIn(Path directory) {
        Gpt2Config saved = Checkpoint.readConfig(directory);
        if (!saved.equals(model.config())) {
            throw new InvalidInputException(directory.toString(), "the checkpoint's model " + saved
                    + " differs from this policy's " + model.config());
        }
        try {
            if (!Arrays.equals(tokenizerJson, Files.readAllBytes(directory.resolve(Checkpoint.TOKENIZER)))) {
                throw new InvalidInputException(directory.toString(), "the checkpoint's tokenizer.json differs from this policy's");
            }
        } catch (IOException e) {
            throw new InvalidInputException(directory.toString(), "cannot read tokenizer.json: " + e.getMessage(), e);
        }
        // Load everything new first, so a bad checkpoint leaves the current weights in use.
        Gpt2Model loaded = Checkpoint.loadModel(directory, manager);
        Trainer restored = newTrainer(loaded);
        try {
            if (Files.exists(directory.resolve(AdamW.META_FILE))) {
                restored.loadState(directory);
            }
        } catch (RuntimeException e) {
            restored.close();
            loaded.close();
            throw e;
        }
        trainer.close();
        model.close();
        model = loaded;
        sampler = new Sampler(loaded, tokenizer, config.maxBatchSize());
        scorer = new Scorer(loaded, config.maxBatchSize());
        trainer = restored;
        generatedTokens.clear();
    }

    @Override
    public long steps() {
        return trainer.steps();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        trainer.close();
        reference.ifPresent(Gpt2Model::close);
        model.close();
        tokenizer.close();
        manager.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the policy is closed");
        }
    }

    /** A prompt's tokens; an empty prompt is the beginning-of-sequence token, as GPT-2 starts texts. */
    private int[] promptIds(String prompt) {
        int[] ids = tokenizer.encode(prompt);
        return ids.length == 0 ? new int[] {model.config().bosTokenId()} : ids;
    }

    /**
     * The state labels of a sequence on its prompt's tokens, when the trainer has a state head: each label
     * goes to the token that holds its character; labels on tokens a left truncation dropped are skipped.
     */
    private List<StateTarget> stateTargets(TrainingSequence s, int promptTokens, int dropped) {
        if (s.stateLabels().isEmpty() || trainer.stateHead().isEmpty()) {
            return List.of();
        }
        int[] ends = tokenizer.tokenEnds(s.prompt());
        if (ends.length != promptTokens) {
            return List.of();
        }
        List<StateTarget> out = new ArrayList<>(s.stateLabels().size());
        for (StateLabel label : s.stateLabels()) {
            int token = Arrays.binarySearch(ends, label.position() + 1);
            token = token >= 0 ? token : -token - 1;
            if (token < ends.length && token >= dropped) {
                out.add(new StateTarget(token - dropped, label.slot(), label.value()));
            }
        }
        return out;
    }

    /** The tokens of a continuation: those sampled when this policy generated it, else its encoding. */
    private int[] continuationIds(String prompt, String text, boolean endOfSequence) {
        int[] ids = text.isEmpty() ? new int[0] : generatedTokens.get(new GeneratedText(prompt, text));
        if (ids == null) {
            ids = tokenizer.encode(text);
        }
        if (endOfSequence) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = tokenizer.endOfSequenceId();
        }
        return ids;
    }

    /** Shortens a prompt so that it and {@code continuation} tokens fit the context. */
    private int[] fitPrompt(int[] prompt, int continuation, String where) {
        int positions = model.config().nPositions();
        if (continuation >= positions) {
            throw new InvalidInputException(where, "the continuation has " + continuation
                    + " tokens; the context holds " + positions + " including at least one prompt token");
        }
        int room = positions - continuation;
        return prompt.length <= room ? prompt
                : fit(prompt, room, where, "with its continuation the context of " + positions + " leaves " + room);
    }

    private int[] fit(int[] prompt, int room, String where, String why) {
        if (overflow == ContextOverflow.ERROR) {
            throw new InvalidInputException(where, "the prompt has " + prompt.length + " tokens; " + why
                    + " (contextOverflow: truncate-left would keep the last " + room + ")");
        }
        return Arrays.copyOfRange(prompt, prompt.length - room, prompt.length);
    }
}
