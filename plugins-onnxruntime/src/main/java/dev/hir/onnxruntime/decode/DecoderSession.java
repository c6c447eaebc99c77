package dev.hir.onnxruntime.decode;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import dev.hir.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ONNX Runtime session over a decoder-with-past model (inputs {@code input_ids}, {@code attention_mask},
 * {@code position_ids} (optional), {@code past_key_values.{i}.key/.value}; outputs {@code logits},
 * {@code present.{i}.key/.value}), and one forward step of it. The present tensors of a step are passed
 * back unchanged as the past of the next, without copying them out of native memory.
 *
 * <p>Not thread-safe. Closing frees the session; the shared ONNX Runtime environment stays.
 */
public final class DecoderSession implements AutoCloseable {
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    /** This plugin's exports have it; a model from elsewhere may not, and then {@code logits} is sliced. */
    private static final String LAST_LOGITS = "last_logits";
    /** In the order errors name them (a Set.of would name a different one on each JVM start). */
    private static final List<String> REQUIRED_INPUTS = List.of("input_ids", "attention_mask");
    private static final String POSITION_IDS = "position_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int layers;
    private final int heads;
    private final int headSize;
    private final String[] pastNames;
    private final String[] presentNames;
    private final boolean hasLastLogits;
    private final boolean hasPositionIds;

    /**
     * How the session runs.
     *
     * @param intraOpThreads threads inside one operator
     * @param optimization the graph optimization level
     */
    public record Settings(int intraOpThreads, SessionOptions.OptLevel optimization) {}

    private DecoderSession(OrtEnvironment env, OrtSession session, int layers, int heads, int headSize,
            boolean hasLastLogits, boolean hasPositionIds) {
        this.env = env;
        this.hasLastLogits = hasLastLogits;
        this.hasPositionIds = hasPositionIds;
        this.session = session;
        this.layers = layers;
        this.heads = heads;
        this.headSize = headSize;
        this.pastNames = new String[2 * layers];
        this.presentNames = new String[2 * layers];
        for (int i = 0; i < layers; i++) {
            pastNames[2 * i] = "past_key_values." + i + ".key";
            pastNames[2 * i + 1] = "past_key_values." + i + ".value";
            presentNames[2 * i] = "present." + i + ".key";
            presentNames[2 * i + 1] = "present." + i + ".value";
        }
    }

    /**
     * Opens a session over a serialized model and checks its signature.
     *
     * @param source names the model for error messages
     */
    public static DecoderSession open(byte[] model, Settings settings, String source) {
        return open(settings, source, (env, options) -> env.createSession(model, options));
    }

    /**
     * Opens a session over a model file (whose external weight files, if any, lie beside it) and checks
     * its signature.
     */
    public static DecoderSession open(Path model, Settings settings) {
        return open(settings, model.toString(), (env, options) -> env.createSession(model.toString(), options));
    }

    @FunctionalInterface
    private interface SessionMaker {
        OrtSession make(OrtEnvironment env, SessionOptions options) throws OrtException;
    }

    private static DecoderSession open(Settings settings, String source, SessionMaker maker) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (SessionOptions options = new SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(settings.optimization());
            session = maker.make(env, options);
        } catch (OrtException e) {
            throw new InvalidInputException(source, "ONNX Runtime rejects the model: " + oneLine(e), e);
        }
        try {
            return check(env, session, source);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static DecoderSession check(OrtEnvironment env, OrtSession session, String source) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Set<String> outputs = session.getOutputNames();
            for (String name : REQUIRED_INPUTS) {
                if (!inputs.containsKey(name)) {
                    throw new InvalidInputException(source, "the model has no input '" + name
                            + "' (a decoder-with-past model needs input_ids, attention_mask, past_key_values.*)");
                }
            }
            TreeSet<Integer> layerIds = new TreeSet<>();
            long heads = -1;
            long headSize = -1;
            for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
                if (REQUIRED_INPUTS.contains(e.getKey()) || e.getKey().equals(POSITION_IDS)) {
                    continue;
                }
                Matcher m = PAST.matcher(e.getKey());
                if (!m.matches()) {
                    throw new InvalidInputException(source, "the model has an input '" + e.getKey()
                            + "' that a decoder-with-past model does not have");
                }
                layerIds.add(Integer.parseInt(m.group(1)));
                long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                if (shape.length != 4 || shape[1] <= 0 || shape[3] <= 0) {
                    throw new InvalidInputException(source, "input '" + e.getKey()
                            + "' must be [batch, heads, past, head_size] with fixed heads and head_size");
                }
                heads = shape[1];
                headSize = shape[3];
            }
            int layers = layerIds.size();
            if (layers == 0 || layerIds.last() != layers - 1) {
                throw new InvalidInputException(source, "the model's past_key_values inputs are not numbered 0.." + (layers - 1));
            }
            for (int i = 0; i < layers; i++) {
                for (String kind : List.of("key", "value")) {
                    if (!inputs.containsKey("past_key_values." + i + "." + kind)) {
                        throw new InvalidInputException(source, "the model has no input 'past_key_values." + i + "." + kind + "'");
                    }
                    if (!outputs.contains("present." + i + "." + kind)) {
                        throw new InvalidInputException(source, "the model has no output 'present." + i + "." + kind + "'");
                    }
                }
            }
            if (!outputs.contains("logits")) {
                throw new InvalidInputException(source, "the model has no output 'logits'");
            }
            return new DecoderSession(env, session, layers, (int) heads, (int) headSize, outputs.contains(LAST_LOGITS),
                    inputs.containsKey(POSITION_IDS));
        } catch (OrtException e) {
            throw new InvalidInputException(source, "cannot read the model's signature: " + oneLine(e), e);
        }
    }

    /**
     * Whether the model takes position ids. Without them (Optimum's older GPT-2 signature) a model numbers
     * the positions past + 0, 1, … itself, so a row must not be left-padded: callers batch only rows of
     * equal length, and {@link #run} ignores the given positions.
     */
    public boolean hasPositionIds() {
        return hasPositionIds;
    }

    /** Transformer blocks (pairs of past tensors). */
    public int layers() {
        return layers;
    }

    /**
     * The keys and values of earlier positions, {@code [rows, heads, length, head_size]} per layer, owned by
     * this object: either arrays created here or the outputs of a step's result.
     */
    public final class Past implements AutoCloseable {
        private final OnnxTensor[] tensors;
        private final AutoCloseable owner;
        private final int rows;
        private final int length;

        private Past(OnnxTensor[] tensors, AutoCloseable owner, int rows, int length) {
            this.tensors = tensors;
            this.owner = owner;
            this.rows = rows;
            this.length = length;
        }

        /** Positions held. */
        public int length() {
            return length;
        }

        /** Rows held. */
        public int rows() {
            return rows;
        }

        /** A copy holding only the given rows, in that order. */
        public Past keepRows(int[] keep) {
            OnnxTensor[] kept = new OnnxTensor[tensors.length];
            int block = heads * length * headSize;
            try {
                for (int i = 0; i < tensors.length; i++) {
                    FloatBuffer all = tensors[i].getFloatBuffer();
                    float[] out = new float[keep.length * block];
                    for (int r = 0; r < keep.length; r++) {
                        all.get(keep[r] * block, out, r * block, block);
                    }
                    kept[i] = OnnxTensor.createTensor(env, FloatBuffer.wrap(out),
                            new long[] {keep.length, heads, length, headSize});
                }
            } catch (OrtException e) {
                closeAll(kept);
                throw new IllegalStateException("ONNX Runtime failed to copy the cache: " + oneLine(e), e);
            }
            return new Past(kept, () -> closeAll(kept), keep.length, length);
        }

        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot free ONNX Runtime tensors: " + e.getMessage(), e);
            }
        }
    }

    /** An empty past for {@code rows} rows. */
    public Past emptyPast(int rows) {
        OnnxTensor[] tensors = new OnnxTensor[2 * layers];
        try {
            for (int i = 0; i < tensors.length; i++) {
                tensors[i] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {rows, heads, 0, headSize});
            }
        } catch (OrtException e) {
            closeAll(tensors);
            throw new IllegalStateException("ONNX Runtime failed to create a tensor: " + oneLine(e), e);
        }
        return new Past(tensors, () -> closeAll(tensors), rows, 0);
    }

    /**
     * The result of one step: the logits and the new past (which the caller closes).
     *
     * @param logits the logits of the requested positions, {@code [rows, positions, vocab]} flattened
     * @param vocab the logits' last dimension
     * @param present the keys and values including this step's; empty when not requested
     */
    public record Step(float[] logits, int vocab, Optional<Past> present) {}

    /**
     * Runs the model on {@code rows x length} tokens after {@code past}.
     *
     * @param ids token ids, row-major {@code [rows, length]}
     * @param mask attention mask, row-major {@code [rows, past + length]}
     * @param positions position ids, row-major {@code [rows, length]}
     * @param lastOnly copy out only the logits of each row's last position
     * @param keepPresent return the present keys and values for the next step
     */
    public Step run(long[] ids, long[] mask, long[] positions, int rows, int length, Past past, boolean lastOnly,
            boolean keepPresent) {
        int total = past.length() + length;
        List<OnnxTensor> created = new ArrayList<>(3);
        OrtSession.Result result = null;
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", track(created, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {rows, length})));
            inputs.put("attention_mask", track(created, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {rows, total})));
            if (hasPositionIds) {
                inputs.put(POSITION_IDS, track(created, OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {rows, length})));
            }
            for (int i = 0; i < pastNames.length; i++) {
                inputs.put(pastNames[i], past.tensors[i]);
            }
            Set<String> wanted = new LinkedHashSet<>();
            boolean sliced = lastOnly && hasLastLogits;
            wanted.add(sliced ? LAST_LOGITS : "logits");
            if (keepPresent) {
                wanted.addAll(List.of(presentNames));
            }
            result = session.run(inputs, wanted);
            OnnxTensor logits = (OnnxTensor) result.get(sliced ? LAST_LOGITS : "logits").orElseThrow();
            long[] shape = logits.getInfo().getShape();
            int vocab = Math.toIntExact(shape[shape.length - 1]);
            FloatBuffer all = logits.getFloatBuffer();
            float[] out;
            if (sliced) {
                out = new float[rows * vocab];
                all.get(0, out);
            } else if (lastOnly) {
                out = new float[rows * vocab];
                for (int r = 0; r < rows; r++) {
                    all.get((r * length + length - 1) * vocab, out, r * vocab, vocab);
                }
            } else {
                out = new float[rows * length * vocab];
                all.get(0, out);
            }
            Optional<Past> present = Optional.empty();
            if (keepPresent) {
                OnnxTensor[] tensors = new OnnxTensor[presentNames.length];
                for (int i = 0; i < presentNames.length; i++) {
                    OnnxValue v = result.get(presentNames[i]).orElseThrow();
                    tensors[i] = (OnnxTensor) v;
                }
                present = Optional.of(new Past(tensors, result, rows, total));
                result = null;
            }
            return new Step(out, vocab, present);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + oneLine(e), e);
        } finally {
            if (result != null) {
                result.close();
            }
            closeAll(created.toArray(new OnnxTensor[0]));
        }
    }

    private static OnnxTensor track(List<OnnxTensor> created, OnnxTensor t) {
        created.add(t);
        return t;
    }

    private static void closeAll(OnnxTensor[] tensors) {
        for (OnnxTensor t : tensors) {
            if (t != null) {
                t.close();
            }
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to free
        }
    }

    private static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + oneLine(e), e);
        }
    }
}
