package dev.hir.pytorch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.train.CausalLm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * GPT-2 (learned positions, pre-LayerNorm blocks, causal multi-head attention with fused QKV,
 * tanh-approximated GELU or, where the config says so, the exact one, tied LM head) written with DJL
 * {@link NDArray} operations.
 *
 * <p>Parameters carry Hugging Face's GPT-2 names and shapes ({@code transformer.h.0.attn.c_attn.weight}
 * is {@code [n_embd, 3 n_embd]}, GPT-2's Conv1D layout {@code y = x W + b}), so a checkpoint written by
 * Hugging Face loads unchanged and one written here loads there.
 *
 * <p>The model owns its parameters (closing it frees them). Every forward call creates its
 * intermediate arrays on the manager of its input ids: callers wrap each step in an
 * {@link ai.djl.ndarray.NDScope}.
 */
public final class Gpt2Model implements CausalLm, AutoCloseable {
    /** The prefix of every parameter name, as Hugging Face's {@code GPT2LMHeadModel} writes them. */
    public static final String PREFIX = "transformer.";

    private static final float MASKED = -1e9f;
    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

    private final Gpt2Config config;
    private final NDManager manager;
    private final LinkedHashMap<String, NDArray> parameters;
    private final NDArray wte;
    private final NDArray wpe;
    private final NDArray lnFWeight;
    private final NDArray lnFBias;
    private final Layer[] layers;
    // Scalar operands as arrays that live as long as the model. DJL turns a Java number operand into a
    // temporary array and closes it right after the op; mul saves that operand for the backward pass,
    // which may then read memory the temporary's buffer no longer owns.
    private final NDArray attentionScale;
    private final NDArray geluCubic;
    private final NDArray geluScale;
    // Views [out, in] of each layer's Conv1D weights, made once: without gradients, x W + b runs as one
    // torch linear (addmm) instead of a matmul and an add, 4 ops fewer per layer and decoding step.
    private final NDArray[][] transposedWeights;

    record Layer(
            NDArray ln1Weight, NDArray ln1Bias,
            NDArray attnWeight, NDArray attnBias,
            NDArray attnProjWeight, NDArray attnProjBias,
            NDArray ln2Weight, NDArray ln2Bias,
            NDArray fcWeight, NDArray fcBias,
            NDArray mlpProjWeight, NDArray mlpProjBias) {}

    private Gpt2Model(Gpt2Config config, NDManager manager, LinkedHashMap<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.wte = parameters.get(PREFIX + "wte.weight");
        this.wpe = parameters.get(PREFIX + "wpe.weight");
        this.lnFWeight = parameters.get(PREFIX + "ln_f.weight");
        this.lnFBias = parameters.get(PREFIX + "ln_f.bias");
        this.layers = new Layer[config.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            String p = PREFIX + "h." + i + ".";
            layers[i] = new Layer(
                    parameters.get(p + "ln_1.weight"), parameters.get(p + "ln_1.bias"),
                    parameters.get(p + "attn.c_attn.weight"), parameters.get(p + "attn.c_attn.bias"),
                    parameters.get(p + "attn.c_proj.weight"), parameters.get(p + "attn.c_proj.bias"),
                    parameters.get(p + "ln_2.weight"), parameters.get(p + "ln_2.bias"),
                    parameters.get(p + "mlp.c_fc.weight"), parameters.get(p + "mlp.c_fc.bias"),
                    parameters.get(p + "mlp.c_proj.weight"), parameters.get(p + "mlp.c_proj.bias"));
        }
        this.attentionScale = manager.create((float) (1.0 / Math.sqrt(config.headSize())));
        this.geluCubic = manager.create(0.044715f);
        this.geluScale = manager.create(2f * GELU_SCALE);
        this.transposedWeights = new NDArray[layers.length][];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < layers.length; i++) {
                Layer l = layers[i];
                NDArray[] views = {l.attnWeight.transpose(), l.attnProjWeight.transpose(), l.fcWeight.transpose(),
                    l.mlpProjWeight.transpose()};
                NDScope.unregister(views);
                transposedWeights[i] = views;
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The name and shape of every parameter, in the model's fixed order (Hugging Face names). */
    public static Map<String, Shape> parameterShapes(Gpt2Config c) {
        long d = c.nEmbd();
        LinkedHashMap<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(PREFIX + "wte.weight", new Shape(c.vocabSize(), d));
        shapes.put(PREFIX + "wpe.weight", new Shape(c.nPositions(), d));
        for (int i = 0; i < c.nLayer(); i++) {
            String p = PREFIX + "h." + i + ".";
            shapes.put(p + "ln_1.weight", new Shape(d));
            shapes.put(p + "ln_1.bias", new Shape(d));
            shapes.put(p + "attn.c_attn.weight", new Shape(d, 3 * d));
            shapes.put(p + "attn.c_attn.bias", new Shape(3 * d));
            shapes.put(p + "attn.c_proj.weight", new Shape(d, d));
            shapes.put(p + "attn.c_proj.bias", new Shape(d));
            shapes.put(p + "ln_2.weight", new Shape(d));
            shapes.put(p + "ln_2.bias", new Shape(d));
            shapes.put(p + "mlp.c_fc.weight", new Shape(d, c.nInner()));
            shapes.put(p + "mlp.c_fc.bias", new Shape(c.nInner()));
            shapes.put(p + "mlp.c_proj.weight", new Shape(c.nInner(), d));
            shapes.put(p + "mlp.c_proj.bias", new Shape(d));
        }
        shapes.put(PREFIX + "ln_f.weight", new Shape(d));
        shapes.put(PREFIX + "ln_f.bias", new Shape(d));
        return Collections.unmodifiableMap(shapes);
    }

    /**
     * A freshly initialized model as Hugging Face initializes GPT-2: weights and embeddings drawn from
     * N(0, 0.02), the residual projections ({@code c_proj}) from N(0, 0.02 / sqrt(2 n_layer)), biases 0,
     * layer-norm gains 1. The draws come from {@link Random} seeded per parameter, so the same seed gives
     * the same weights on every machine.
     */
    public static Gpt2Model random(Gpt2Config config, long seed, NDManager parent) {
        return random(config, seed, parent, false);
    }

    /**
     * As {@link #random(Gpt2Config, long, NDManager)}, optionally with the position embeddings ({@code wpe})
     * set to the sinusoidal table of the original Transformer instead of random draws, scaled to the same
     * standard deviation (0.02). Positions a fixed distance apart are then a fixed linear map of each other
     * from the first step, which attention to "the previous token" (copying, look-up) needs; with random
     * positions it has to be learned for every position separately. The parameters and their names are
     * those of GPT-2 either way: only the starting values differ. Measured on the option look-up and on word
     * sorting, it learned no faster (docs/base-model.md, session 16).
     */
    public static Gpt2Model random(Gpt2Config config, long seed, NDManager parent, boolean sinusoidalPositions) {
        NDManager manager = parent.newSubManager();
        LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
        double projStd = 0.02 / Math.sqrt(2.0 * config.nLayer());
        int index = 0;
        for (Map.Entry<String, Shape> e : parameterShapes(config).entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] data = new float[Math.toIntExact(shape.size())];
            if (name.endsWith(".bias")) {
                // zeros
            } else if (sinusoidalPositions && name.equals(PREFIX + "wpe.weight")) {
                sinusoidal(data, Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1)), 0.02);
            } else if (name.contains("ln_")) {
                java.util.Arrays.fill(data, 1f);
            } else {
                double std = name.endsWith("c_proj.weight") ? projStd : 0.02;
                Random random = new Random(seed * 1_000_003L + index);
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * std);
                }
            }
            NDArray array = manager.create(data, shape);
            array.setName(name);
            params.put(name, array);
            index++;
        }
        return finish(config, manager, params);
    }

    /**
     * Fills {@code data} ({@code [positions, width]}, row-major) with sin(p / 10000^(2i / width)) in column 2i
     * and the cosine in column 2i + 1, scaled so that the table's standard deviation is {@code std}.
     */
    static void sinusoidal(float[] data, int positions, int width, double std) {
        // Each column pair has mean square 1/2 over a full period, so scaling by std * sqrt(2) gives std.
        double scale = std * Math.sqrt(2.0);
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < width; i += 2) {
                double angle = p / Math.pow(10_000.0, (double) i / width);
                data[p * width + i] = (float) (Math.sin(angle) * scale);
                if (i + 1 < width) {
                    data[p * width + i + 1] = (float) (Math.cos(angle) * scale);
                }
            }
        }
    }

    /**
     * A model from named parameter arrays (Hugging Face names, with or without the {@code transformer.}
     * prefix). The arrays are moved to the model's manager; missing, extra or misshapen ones are an error.
     *
     * @param source names the file the arrays came from, for error messages
     */
    public static Gpt2Model fromParameters(Gpt2Config config, Map<String, NDArray> named, NDManager parent, String source) {
        Map<String, Shape> shapes = parameterShapes(config);
        LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : named.entrySet()) {
            String name = canonicalName(e.getKey());
            Shape expected = shapes.get(name);
            if (expected == null) {
                throw new InvalidInputException(source, "unexpected tensor '" + e.getKey() + "'");
            }
            NDArray array = e.getValue();
            if (!array.getShape().equals(expected)) {
                throw new InvalidInputException(source,
                        "tensor '" + e.getKey() + "' has shape " + array.getShape() + ", expected " + expected);
            }
            if (array.getDataType() != DataType.FLOAT32) {
                throw new InvalidInputException(source,
                        "tensor '" + e.getKey() + "' has type " + array.getDataType() + ", expected float32");
            }
            params.put(name, array);
        }
        for (String name : shapes.keySet()) {
            if (!params.containsKey(name)) {
                throw new InvalidInputException(source, "missing tensor '" + name + "'");
            }
        }
        NDManager manager = parent.newSubManager();
        LinkedHashMap<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            NDArray array = params.get(name);
            array.attach(manager);
            array.setName(name);
            ordered.put(name, array);
        }
        return finish(config, manager, ordered);
    }

    /** The canonical (prefixed) name of a Hugging Face GPT-2 parameter name. */
    public static String canonicalName(String name) {
        return name.startsWith(PREFIX) ? name : PREFIX + name;
    }

    /**
     * Whether a tensor of a Hugging Face GPT-2 file is not a parameter of this model: the attention-mask
     * buffers older versions saved, and the LM head, which GPT-2 ties to the token embedding.
     */
    public static boolean isIgnoredTensor(String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.equals("lm_head.weight");
    }

    private static Gpt2Model finish(Gpt2Config config, NDManager manager, LinkedHashMap<String, NDArray> params) {
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        return new Gpt2Model(config, manager, params);
    }

    /** The model's sizes. */
    public Gpt2Config config() {
        return config;
    }

    /**
     * The parameters by Hugging Face name, in the fixed order; the model owns them. Change their values in
     * place only (as an optimizer does): the model keeps views of some of them.
     */
    public Map<String, NDArray> namedParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public NDList parameters() {
        return new NDList(new ArrayList<>(parameters.values()));
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray logits(NDArray inputIds, NDArray attentionMask) {
        return lmHead(hiddenStates(inputIds, attentionMask));
    }

    @Override
    public NDArray outputLogits(NDArray hidden) {
        return lmHead(hidden);
    }

    @Override
    public int hiddenSize() {
        return config.nEmbd();
    }

    @Override
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
        long t = inputIds.getShape().get(1);
        if (t > config.nPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds n_positions " + config.nPositions());
        }
        NDManager m = inputIds.getManager();
        NDArray positions = m.arange(0L, t, 1L, DataType.INT64).reshape(1, t);
        NDArray bias = m.create(causalBias((int) t), new Shape(1, 1, t, t));
        return forward(inputIds, positions, bias, null);
    }

    /** An additive causal mask {@code [T, T]}: 0 where key &lt;= query, a large negative number elsewhere. */
    static float[] causalBias(int t) {
        float[] bias = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                bias[q * t + k] = MASKED;
            }
        }
        return bias;
    }

    /** The additive value for a masked attention score. */
    public static float maskedScore() {
        return MASKED;
    }

    /**
     * The final hidden states (after {@code ln_f}) of a batch.
     *
     * @param inputIds int64 {@code [B, T]}
     * @param positionIds int64 {@code [B or 1, T]}, each below {@code n_positions}
     * @param attentionBias float32 additive scores {@code [B or 1, 1, T, past + T]} (0 = attend)
     * @param cache the keys and values of earlier positions, extended by this call's; {@code null} for none
     * @return float32 {@code [B, T, n_embd]}
     */
    public NDArray forward(NDArray inputIds, NDArray positionIds, NDArray attentionBias, KvCache cache) {
        long b = inputIds.getShape().get(0);
        long t = inputIds.getShape().get(1);
        int h = config.nHead();
        int hs = config.headSize();
        boolean fused = !JniUtils.isGradMode();
        NDArray x = inputIds.getNDArrayInternal().embedding(inputIds, wte, SparseFormat.DENSE).head()
                .add(positionIds.getNDArrayInternal().embedding(positionIds, wpe, SparseFormat.DENSE).head());
        Shape norm = new Shape(config.nEmbd());
        float eps = (float) config.layerNormEpsilon();
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            NDArray[] wT = fused ? transposedWeights[i] : null;
            NDArray a = x.getNDArrayInternal().layerNorm(x, norm, l.ln1Weight, l.ln1Bias, eps).head();
            // [B, T, 3 d] -> [B, 3 H, T, hs] -> q and the keys and values [B, 2 H, T, hs] together: views in
            // few ops (per-op cost dominates small models); a one-row cache stores them as one array.
            // With one token the transpose only moves a dimension of size 1: a reshape alone does it.
            NDArray projected = affine(a, l.attnWeight, l.attnBias, wT, 0);
            NDArray heads = t == 1 ? projected.reshape(b, 3L * h, 1, hs)
                    : projected.reshape(b, t, 3L * h, hs).transpose(0, 2, 1, 3);
            NDList parts = JniUtils.split((PtNDArray) heads, new long[] {h, 2L * h}, 1);
            NDArray q = parts.get(0);
            NDList kv = cache == null ? JniUtils.split((PtNDArray) parts.get(1), new long[] {h, h}, 1)
                    : cache.extend(i, parts.get(1), b, h, t);
            NDArray k = kv.get(0);
            NDArray v = kv.get(1);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).muli(attentionScale);
            if (attentionBias != null) {
                scores = scores.addi(attentionBias);
            }
            NDArray attended = scores.softmax(-1).matMul(v);
            NDArray y = (t == 1 ? attended : attended.transpose(0, 2, 1, 3)).reshape(b, t, config.nEmbd());
            x = x.add(affine(y, l.attnProjWeight, l.attnProjBias, wT, 1));
            NDArray c = x.getNDArrayInternal().layerNorm(x, norm, l.ln2Weight, l.ln2Bias, eps).head();
            NDArray f = activation(affine(c, l.fcWeight, l.fcBias, wT, 2));
            x = x.add(affine(f, l.mlpProjWeight, l.mlpProjBias, wT, 3));
        }
        if (cache != null) {
            cache.advance(t);
        }
        return x.getNDArrayInternal().layerNorm(x, norm, lnFWeight, lnFBias, eps).head();
    }

    /** {@code x W + b}: one linear op on the transposed view when there are no gradients to record. */
    private static NDArray affine(NDArray x, NDArray weight, NDArray bias, NDArray[] transposed, int which) {
        return transposed == null ? x.matMul(weight).add(bias) : Linear.linear(x, transposed[which], bias).head();
    }

    /** Block {@code i}'s parameters, for {@link StepDecoder}. */
    Layer layer(int i) {
        return layers[i];
    }

    /**
     * Block {@code i}'s four matrices as {@code [out, in]} views (c_attn, attn.c_proj, c_fc, mlp.c_proj), the
     * operands of torch's linear, for {@link StepDecoder}.
     */
    NDArray[] linearWeights(int i) {
        return transposedWeights[i];
    }

    NDArray tokenEmbedding() {
        return wte;
    }

    NDArray positionEmbedding() {
        return wpe;
    }

    NDArray finalNormWeight() {
        return lnFWeight;
    }

    NDArray finalNormBias() {
        return lnFBias;
    }

    /** Logits of hidden states {@code [..., n_embd] -> [..., vocab]} with the tied embedding. */
    public NDArray lmHead(NDArray hidden) {
        return Linear.linear(hidden, wte).head();
    }

    /** The MLP activation the config names. */
    NDArray activation(NDArray x) {
        return config.activation() == Activation.GELU ? x.getNDArrayInternal().gelu() : geluNew(x);
    }

    /**
     * GPT-2's "gelu_new", 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as
     * x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)) (the same function, since 0.5 (1 + tanh z) = sigmoid(2z)):
     * fewer operations, and per-operation cost dominates small models.
     */
    NDArray geluNew(NDArray x) {
        // In-place steps only touch results no backward pass needs: mul saves its inputs, not its output
        // (pow with a tensor exponent would save its output, which the in-place steps then corrupt).
        NDArray inner = x.mul(x).mul(x).muli(geluCubic).addi(x).muli(geluScale);
        return x.mul(inner.getNDArrayInternal().sigmoid());
    }

    /** A list of the parameters in the fixed order, named (for safetensors). */
    public NDList namedParameterList() {
        List<NDArray> list = new ArrayList<>(parameters.values());
        return new NDList(list);
    }

    /**
     * A copy of the current weights whose parameters do not require gradients: the frozen reference of a
     * KL penalty.
     */
    public Gpt2Model frozenCopy(NDManager parent) {
        NDManager m = parent.newSubManager();
        LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray c = e.getValue().duplicate();
            c.attach(m);
            c.setName(e.getKey());
            params.put(e.getKey(), c);
        }
        return new Gpt2Model(config, m, params);
    }

    /** Frees the parameters. Idempotent. */
    @Override
    public void close() {
        manager.close();
    }
}
