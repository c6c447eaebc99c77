package dev.hir.onnxruntime;

import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.ReloadablePolicy;
import dev.hir.onnxruntime.decode.DecoderSession;
import dev.hir.onnxruntime.export.GptConfig;
import dev.hir.onnxruntime.export.Gpt2OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onnxruntime} policy: a decoder-with-past ONNX model on ONNX Runtime, its tokenizer, a
 * {@link Generator} and a {@link Scorer}. {@link #reload} exports a checkpoint and replaces the session
 * (weight sync); until the first model arrives, generating is an {@link IllegalStateException}. Not
 * thread-safe.
 */
public final class OnnxRuntimePolicy implements ReloadablePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimePolicy.class);
    private static final int REMEMBERED_GENERATIONS = 8192;

    private final OnnxRuntimePolicyConfig config;
    private final DecoderSession.Settings settings;
    private final Map<GeneratedText, int[]> generatedTokens;
    private Optional<Loaded> loaded = Optional.empty();
    private boolean closed;

    /** A sample's text for a prompt; scoring it later uses the tokens actually sampled (see PyTorch policy). */
    private record GeneratedText(String prompt, String text) {}

    /** Everything that belongs to one model; a reload with the same tokenizer.json shares the tokenizer. */
    private record Loaded(GptConfig model, DecoderSession session, TextTokenizer tokenizer, Generator generator,
            Scorer scorer) {}

    private OnnxRuntimePolicy(OnnxRuntimePolicyConfig config, DecoderSession.Settings settings) {
        this.config = config;
        this.settings = settings;
        this.generatedTokens = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<GeneratedText, int[]> eldest) {
                return size() > REMEMBERED_GENERATIONS;
            }
        };
    }

    static OnnxRuntimePolicy create(OnnxRuntimePolicyConfig config, PluginContext context) {
        int threads = config.intraOpThreads() == 0 ? context.computeThreads() : config.intraOpThreads();
        if (threads > context.computeThreads()) {
            LOG.warn("intra_op_threads {} exceeds the {} compute threads this process may use", threads,
                    context.computeThreads());
        }
        OnnxRuntimePolicy policy = new OnnxRuntimePolicy(config, new DecoderSession.Settings(threads, config.optLevel()));
        if (config.checkpointIfGiven().isPresent()) {
            policy.loaded = Optional.of(policy.loadCheckpoint(shipped(config.checkpoint(), context), Optional.empty()));
        } else if (config.modelIfGiven().isPresent()) {
            Path model = context.resolve(config.model());
            Path tokenizer = config.tokenizerIfGiven().map(context::resolve)
                    .orElse(model.toAbsolutePath().resolveSibling("tokenizer.json"));
            policy.loaded = Optional.of(policy.loadModel(model, tokenizer));
        }
        return policy;
    }

    /** A path, or the bare name of a model in the shipped models folder (as the PyTorch policy resolves it). */
    private static Path shipped(String checkpoint, PluginContext context) {
        Path asPath = context.resolve(checkpoint);
        boolean bareName = !checkpoint.contains("/") && !checkpoint.contains("\\") && !checkpoint.startsWith(".");
        if (Files.isDirectory(asPath) || !bareName) {
            return asPath;
        }
        String dir = System.getProperty("hir.models.dir", "");
        Path named = Path.of(dir.isBlank() ? "models" : dir).toAbsolutePath().normalize().resolve(checkpoint);
        return Files.isDirectory(named) ? named : asPath;
    }

    private Loaded loadCheckpoint(Path checkpoint, Optional<TextTokenizer> current) {
        Gpt2OnnxExporter.Exported exported = Gpt2OnnxExporter.export(checkpoint);
        return open(exported.config(), () -> DecoderSession.open(exported.onnx(), settings, checkpoint.toString()),
                checkpoint.toString(), checkpoint.resolve("tokenizer.json"), current);
    }

    private Loaded loadModel(Path model, Path tokenizer) {
        if (!Files.isRegularFile(model)) {
            throw new InvalidInputException(model.toString(), "no such model file");
        }
        GptConfig sizes = GptConfig.read(model.toAbsolutePath().resolveSibling("config.json"));
        return open(sizes, () -> DecoderSession.open(model, settings), model.toString(), tokenizer, Optional.empty());
    }

    /** Opens the session and the tokenizer (reusing {@code current} when the file is the same). */
    private Loaded open(GptConfig sizes, Supplier<DecoderSession> opener, String source,
            Path tokenizerFile, Optional<TextTokenizer> current) {
        byte[] tokenizerJson;
        try {
            tokenizerJson = Files.readAllBytes(tokenizerFile);
        } catch (IOException e) {
            throw new InvalidInputException(tokenizerFile.toString(), "cannot read the tokenizer: " + e.getMessage(), e);
        }
        DecoderSession session = opener.get();
        boolean reuse = current.isPresent() && Arrays.equals(current.get().json(), tokenizerJson);
        TextTokenizer tokenizer = null;
        try {
            if (session.layers() != sizes.nLayer()) {
                throw new InvalidInputException(source, "the model has " + session.layers()
                        + " layers of past keys and values but config.json says n_layer " + sizes.nLayer());
            }
            tokenizer = reuse ? current.get() : TextTokenizer.load(tokenizerFile, tokenizerJson);
            if (sizes.eosTokenId() >= tokenizer.vocabSize()) {
                throw new InvalidInputException(tokenizerFile.toString(), "end-of-sequence id " + sizes.eosTokenId()
                        + " (config.json) is outside the tokenizer's " + tokenizer.vocabSize() + " ids");
            }
            if (tokenizer.vocabSize() > sizes.vocabSize()) {
                throw new InvalidInputException(tokenizerFile.toString(), "the tokenizer has " + tokenizer.vocabSize()
                        + " ids but the model only " + sizes.vocabSize());
            }
            return new Loaded(sizes, session, tokenizer,
                    new Generator(session, tokenizer, sizes.nPositions(), sizes.eosTokenId(), config.maxBatchSize()),
                    new Scorer(session, sizes.nPositions(), sizes.vocabSize(), config.maxBatchSize()));
        } catch (RuntimeException e) {
            session.close();
            if (tokenizer != null && !reuse) {
                tokenizer.close();
            }
            throw e;
        }
    }

    /**
     * Exports the checkpoint and replaces the session (and the tokenizer, if the checkpoint's differs). If
     * anything fails, the current model stays in use.
     */
    @Override
    public void reload(Path checkpoint) {
        requireOpen();
        long start = System.nanoTime();
        Loaded fresh = loadCheckpoint(checkpoint, loaded.map(Loaded::tokenizer));
        loaded.ifPresent(old -> {
            old.session().close();
            if (old.tokenizer() != fresh.tokenizer()) {
                old.tokenizer().close();
            }
        });
        loaded = Optional.of(fresh);
        generatedTokens.clear();
        LOG.debug("reloaded {} in {} ms", checkpoint, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public List<List<Generation>> generate(List<String> prompts, GenerationConfig generation) {
        Loaded m = model();
        if (prompts.isEmpty()) {
            return List.of();
        }
        int positions = m.model().nPositions();
        // Room for the answer, as the PyTorch policy leaves it: up to maxNewTokens, at most half the context.
        int reserve = Math.min(generation.maxNewTokens(), positions / 2);
        List<int[]> ids = new ArrayList<>(prompts.size());
        int truncated = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = promptIds(m, prompts.get(i));
            int room = positions - reserve;
            if (p.length > room) {
                p = fit(p, room, "prompts[" + i + "]",
                        "with maxNewTokens " + generation.maxNewTokens() + " the context of " + positions + " leaves " + room);
                truncated++;
            }
            ids.add(p);
        }
        if (truncated > 0) {
            LOG.warn("{} of {} prompts were longer than the context allows and lost their first tokens", truncated,
                    prompts.size());
        }
        List<List<Sample>> samples = m.generator().generate(ids, generation);
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

    /** The samples with their token ids, for tests that compare engines token by token. */
    List<List<Sample>> generateSamples(List<String> prompts, GenerationConfig generation) {
        Loaded m = model();
        List<int[]> ids = new ArrayList<>();
        for (String p : prompts) {
            ids.add(promptIds(m, p));
        }
        return m.generator().generate(ids, generation);
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
        Loaded m = model();
        List<int[]> prompts = new ArrayList<>(continuations.size());
        List<int[]> targets = new ArrayList<>(continuations.size());
        for (int i = 0; i < continuations.size(); i++) {
            Continuation c = continuations.get(i);
            int[] target = continuationIds(m, c.prompt(), c.continuation(), c.endOfSequence());
            prompts.add(fitPrompt(m, promptIds(m, c.prompt()), target.length, "continuations[" + i + "]"));
            targets.add(target);
        }
        return m.scorer().logProbs(prompts, targets);
    }

    @Override
    public List<String> tokenPieces(String text) {
        return model().tokenizer().pieces(text);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loaded.ifPresent(m -> {
            m.session().close();
            m.tokenizer().close();
        });
        loaded = Optional.empty();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the policy is closed");
        }
    }

    private Loaded model() {
        requireOpen();
        return loaded.orElseThrow(() -> new IllegalStateException(
                "the onnxruntime policy has no model yet: configure a checkpoint or model, or call reload(checkpoint) first"));
    }

    /** A prompt's tokens; an empty prompt is the beginning-of-sequence token, as GPT-2 starts texts. */
    private static int[] promptIds(Loaded m, String prompt) {
        int[] ids = m.tokenizer().encode(prompt);
        return ids.length == 0 ? new int[] {m.model().bosTokenId()} : ids;
    }

    private int[] continuationIds(Loaded m, String prompt, String text, boolean endOfSequence) {
        int[] ids = text.isEmpty() ? new int[0] : generatedTokens.get(new GeneratedText(prompt, text));
        if (ids == null) {
            ids = m.tokenizer().encode(text);
        }
        if (endOfSequence) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = m.model().eosTokenId();
        }
        return ids;
    }

    private int[] fitPrompt(Loaded m, int[] prompt, int continuation, String where) {
        int positions = m.model().nPositions();
        if (continuation >= positions) {
            throw new InvalidInputException(where, "the continuation has " + continuation
                    + " tokens; the context holds " + positions + " including at least one prompt token");
        }
        int room = positions - continuation;
        return prompt.length <= room ? prompt
                : fit(prompt, room, where, "with its continuation the context of " + positions + " leaves " + room);
    }

    private int[] fit(int[] prompt, int room, String where, String why) {
        if (!config.truncateLeft()) {
            throw new InvalidInputException(where, "the prompt has " + prompt.length + " tokens; " + why
                    + " (contextOverflow: truncate-left would keep the last " + room + ")");
        }
        return Arrays.copyOfRange(prompt, prompt.length - room, prompt.length);
    }
}
