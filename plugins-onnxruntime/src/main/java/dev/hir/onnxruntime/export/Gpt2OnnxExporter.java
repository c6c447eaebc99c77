package dev.hir.onnxruntime.export;

import dev.hir.api.InvalidInputException;
import dev.hir.onnxruntime.export.OnnxGraph.FloatAttribute;
import dev.hir.onnxruntime.export.OnnxGraph.IntAttribute;
import dev.hir.onnxruntime.export.OnnxGraph.IntsAttribute;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a GPT-2 checkpoint in the Hugging Face layout ({@code config.json}, {@code model.safetensors})
 * to an ONNX decoder-with-past graph, the signature Hugging Face Optimum gives GPT-2 decoders:
 *
 * <ul>
 *   <li>inputs {@code input_ids} int64 {@code [batch, sequence]}, {@code attention_mask} int64
 *       {@code [batch, past + sequence]} (1 = real token, 0 = padding), {@code position_ids} int64
 *       {@code [batch, sequence]}, and per layer {@code past_key_values.{i}.key} / {@code .value} float32
 *       {@code [batch, heads, past, head_size]} (past may be 0);</li>
 *   <li>outputs {@code logits} float32 {@code [batch, sequence, vocab]} and {@code present.{i}.key} /
 *       {@code .value} {@code [batch, heads, past + sequence, head_size]}; and one output more,
 *       {@code last_logits} {@code [batch, vocab]}, the logits of the last position only.</li>
 * </ul>
 *
 * <p>The computation is the one of the PyTorch plugin's GPT-2 (pre-LayerNorm blocks, fused QKV in Conv1D
 * layout, {@code gelu_new} or the exact {@code gelu} as {@code config.json} says, tied LM head); a query attends
 * to earlier keys that the attention mask marks real, and a padding query to itself, with the same additive -1e9
 * score. Weights are initializers.
 */
public final class Gpt2OnnxExporter {
    /** The name of the exported file inside a folder. */
    public static final String MODEL_FILE = "model.onnx";

    /** The extra output with the logits of each row's last position, {@code [batch, vocab]}. */
    public static final String LAST_LOGITS = "last_logits";

    private static final String PREFIX = "transformer.";
    private static final float MASKED = -1e9f;

    private Gpt2OnnxExporter() {}

    /**
     * An exported model.
     *
     * @param config the model's sizes
     * @param onnx the serialized ONNX {@code ModelProto}
     */
    public record Exported(GptConfig config, byte[] onnx) {}

    /** Reads a checkpoint folder and builds its ONNX model in memory. */
    public static Exported export(Path checkpoint) {
        if (!Files.isDirectory(checkpoint)) {
            throw new InvalidInputException(checkpoint.toString(), "not a checkpoint folder");
        }
        GptConfig config = GptConfig.read(checkpoint.resolve("config.json"));
        Safetensors weights = Safetensors.read(checkpoint.resolve("model.safetensors"));
        return new Exported(config, build(config, weights));
    }

    /** Exports a checkpoint folder to {@code target}, written atomically (a temporary file, then a rename). */
    public static GptConfig write(Path checkpoint, Path target) {
        Exported exported = export(checkpoint);
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, exported.onnx());
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new InvalidInputException(target.toString(), "cannot write: " + e.getMessage(), e);
        }
        return exported.config();
    }

    /** The name and shape of every parameter (Hugging Face names with the {@code transformer.} prefix). */
    static Map<String, long[]> parameterShapes(GptConfig c) {
        long d = c.nEmbd();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(PREFIX + "wte.weight", new long[] {c.vocabSize(), d});
        shapes.put(PREFIX + "wpe.weight", new long[] {c.nPositions(), d});
        for (int i = 0; i < c.nLayer(); i++) {
            String p = PREFIX + "h." + i + ".";
            shapes.put(p + "ln_1.weight", new long[] {d});
            shapes.put(p + "ln_1.bias", new long[] {d});
            shapes.put(p + "attn.c_attn.weight", new long[] {d, 3 * d});
            shapes.put(p + "attn.c_attn.bias", new long[] {3 * d});
            shapes.put(p + "attn.c_proj.weight", new long[] {d, d});
            shapes.put(p + "attn.c_proj.bias", new long[] {d});
            shapes.put(p + "ln_2.weight", new long[] {d});
            shapes.put(p + "ln_2.bias", new long[] {d});
            shapes.put(p + "mlp.c_fc.weight", new long[] {d, c.nInner()});
            shapes.put(p + "mlp.c_fc.bias", new long[] {c.nInner()});
            shapes.put(p + "mlp.c_proj.weight", new long[] {c.nInner(), d});
            shapes.put(p + "mlp.c_proj.bias", new long[] {d});
        }
        shapes.put(PREFIX + "ln_f.weight", new long[] {d});
        shapes.put(PREFIX + "ln_f.bias", new long[] {d});
        return shapes;
    }

    /** Tensors of Hugging Face GPT-2 files that are not parameters: old attention-mask buffers, the tied head. */
    private static boolean ignored(String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.equals("lm_head.weight");
    }

    static byte[] build(GptConfig c, Safetensors weights) {
        Map<String, long[]> shapes = parameterShapes(c);
        Map<String, Safetensors.Tensor> found = new LinkedHashMap<>();
        for (Map.Entry<String, Safetensors.Tensor> e : weights.tensors().entrySet()) {
            if (ignored(e.getKey())) {
                continue;
            }
            String name = e.getKey().startsWith(PREFIX) ? e.getKey() : PREFIX + e.getKey();
            long[] expected = shapes.get(name);
            Safetensors.Tensor t = e.getValue();
            if (expected == null) {
                throw new InvalidInputException(weights.source(), "unexpected tensor '" + e.getKey() + "'");
            }
            if (found.containsKey(name)) {
                throw new InvalidInputException(weights.source(), "tensor '" + name + "' appears twice");
            }
            if (!Arrays.equals(t.shape(), expected)) {
                throw new InvalidInputException(weights.source(), "tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected));
            }
            if (!t.dtype().equals("F32")) {
                throw new InvalidInputException(weights.source(),
                        "tensor '" + e.getKey() + "' has type " + t.dtype() + ", expected F32");
            }
            found.put(name, t);
        }
        for (String name : shapes.keySet()) {
            if (!found.containsKey(name)) {
                throw new InvalidInputException(weights.source(), "missing tensor '" + name + "'");
            }
        }
        OnnxGraph g = new OnnxGraph();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            Safetensors.Tensor t = found.get(e.getKey());
            g.initializer(e.getKey(), e.getValue(), weights.bytes(), t.offset(), t.length());
        }
        declareSignature(g, c);
        String x = g.op("Add", List.of(
                g.op("Gather", List.of(PREFIX + "wte.weight", "input_ids"), new IntAttribute("axis", 0)),
                g.op("Gather", List.of(PREFIX + "wpe.weight", "position_ids"), new IntAttribute("axis", 0))));
        String bias = attentionBias(g);
        String scale = g.scalar("attention_scale", (float) (1.0 / Math.sqrt(c.headSize())));
        String heads = g.int64s("heads_shape", 0, 0, c.nHead(), c.headSize());
        String merged = g.int64s("merged_shape", 0, 0, c.nEmbd());
        // Only the constants of the model's activation: ONNX Runtime warns about unused initializers.
        boolean exact = c.exactGelu();
        String geluCubic = exact ? null : g.scalar("gelu_cubic", 0.044715f);
        String geluScale = exact ? null : g.scalar("gelu_scale", (float) Math.sqrt(2.0 / Math.PI));
        String three = exact ? null : g.scalar("three", 3f);
        String root2 = exact ? g.scalar("sqrt_2", (float) Math.sqrt(2.0)) : null;
        String one = g.scalar("one_f", 1f);
        String half = g.scalar("half", 0.5f);
        float eps = (float) c.layerNormEpsilon();
        for (int i = 0; i < c.nLayer(); i++) {
            String p = PREFIX + "h." + i + ".";
            String a = layerNorm(g, x, p + "ln_1", eps);
            String qkv = linear(g, a, p + "attn.c_attn");
            String q = g.fresh("q");
            String k = g.fresh("k");
            String v = g.fresh("v");
            g.node("Split", List.of(qkv), List.of(q, k, v), new IntAttribute("axis", 2));
            String presentKey = "present." + i + ".key";
            String presentValue = "present." + i + ".value";
            g.node("Concat", List.of("past_key_values." + i + ".key", splitHeads(g, k, heads)), List.of(presentKey),
                    new IntAttribute("axis", 2));
            g.node("Concat", List.of("past_key_values." + i + ".value", splitHeads(g, v, heads)),
                    List.of(presentValue), new IntAttribute("axis", 2));
            String keysT = g.op("Transpose", List.of(presentKey), new IntsAttribute("perm", 0, 1, 3, 2));
            String scores = g.op("Mul", List.of(g.op("MatMul", List.of(splitHeads(g, q, heads), keysT)), scale));
            String probs = g.op("Softmax", List.of(g.op("Add", List.of(scores, bias))), new IntAttribute("axis", -1));
            String y = g.op("Reshape", List.of(
                    g.op("Transpose", List.of(g.op("MatMul", List.of(probs, presentValue))),
                            new IntsAttribute("perm", 0, 2, 1, 3)),
                    merged));
            x = g.op("Add", List.of(x, linear(g, y, p + "attn.c_proj")));
            String f = linear(g, layerNorm(g, x, p + "ln_2", eps), p + "mlp.c_fc");
            String gelu;
            if (exact) {
                // The exact GELU as PyTorch's exporter writes it, x 0.5 (1 + erf(x / sqrt 2)): ONNX Runtime
                // recognizes this pattern too and fuses it into one kernel.
                String onePlus = g.op("Add", List.of(g.op("Erf", List.of(g.op("Div", List.of(f, root2)))), one));
                gelu = g.op("Mul", List.of(g.op("Mul", List.of(f, onePlus)), half));
            } else {
                // gelu_new written as Hugging Face writes it, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): ONNX
                // Runtime recognizes this pattern and fuses it (with the bias before it) into one kernel.
                String cube = g.op("Pow", List.of(f, three));
                String inner = g.op("Mul", List.of(g.op("Add", List.of(f, g.op("Mul", List.of(cube, geluCubic)))), geluScale));
                String onePlus = g.op("Add", List.of(g.op("Tanh", List.of(inner)), one));
                gelu = g.op("Mul", List.of(g.op("Mul", List.of(f, half)), onePlus));
            }
            x = g.op("Add", List.of(x, linear(g, gelu, p + "mlp.c_proj")));
        }
        String h = layerNorm(g, x, PREFIX + "ln_f", eps);
        String head = g.op("Transpose", List.of(PREFIX + "wte.weight"), new IntsAttribute("perm", 1, 0));
        g.node("MatMul", List.of(h, head), List.of("logits"));
        // The last position's logits as an extra output: generation asks only for these, and ONNX Runtime
        // then skips the LM head over the whole prompt (and the copy of [batch, sequence, vocab] floats).
        String lastIndex = g.op("Sub", List.of(
                g.op("Gather", List.of(g.op("Shape", List.of(h)), g.scalarInt64("axis_one", 1)), new IntAttribute("axis", 0)),
                g.scalarInt64("one", 1)));
        String last = g.op("Gather", List.of(h, lastIndex), new IntAttribute("axis", 1));
        g.node("MatMul", List.of(last, head), List.of(LAST_LOGITS));
        return g.toModel("gpt2_decoder_with_past", "hir-onnxruntime", "0.1");
    }

    private static void declareSignature(OnnxGraph g, GptConfig c) {
        g.input("input_ids", OnnxGraph.INT64, "batch_size", "sequence_length");
        g.input("attention_mask", OnnxGraph.INT64, "batch_size", "total_sequence_length");
        g.input("position_ids", OnnxGraph.INT64, "batch_size", "sequence_length");
        for (int i = 0; i < c.nLayer(); i++) {
            for (String kind : List.of("key", "value")) {
                g.input("past_key_values." + i + "." + kind, OnnxGraph.FLOAT,
                        "batch_size", (long) c.nHead(), "past_sequence_length", (long) c.headSize());
            }
        }
        g.output("logits", OnnxGraph.FLOAT, "batch_size", "sequence_length", (long) c.vocabSize());
        g.output(LAST_LOGITS, OnnxGraph.FLOAT, "batch_size", (long) c.vocabSize());
        for (int i = 0; i < c.nLayer(); i++) {
            for (String kind : List.of("key", "value")) {
                g.output("present." + i + "." + kind, OnnxGraph.FLOAT,
                        "batch_size", (long) c.nHead(), "total_sequence_length", (long) c.headSize());
            }
        }
    }

    /**
     * The additive attention scores {@code [batch, 1, sequence, total]}: 0 where query q (at absolute
     * position past + q) may attend key k, i.e. k &lt;= past + q and k is real or k is the query itself;
     * -1e9 elsewhere.
     */
    private static String attentionBias(OnnxGraph g) {
        String one = g.scalarInt64("one", 1);
        String zero = g.scalarInt64("zero", 0);
        String index1 = g.scalarInt64("axis_one", 1);
        String seq = g.op("Gather", List.of(g.op("Shape", List.of("input_ids")), index1), new IntAttribute("axis", 0));
        String total = g.op("Gather", List.of(g.op("Shape", List.of("attention_mask")), index1), new IntAttribute("axis", 0));
        String past = g.op("Sub", List.of(total, seq));
        String queries = g.op("Unsqueeze", List.of(g.op("Range", List.of(past, total, one)), g.int64s("axes", 1)));
        String keys = g.op("Unsqueeze", List.of(g.op("Range", List.of(zero, total, one)), g.int64s("axes", 0)));
        String causal = g.op("LessOrEqual", List.of(keys, queries));
        String self = g.op("Equal", List.of(keys, queries));
        String real = g.op("Unsqueeze", List.of(
                g.op("Cast", List.of("attention_mask"), new IntAttribute("to", OnnxGraph.BOOL)),
                g.int64s("axes", 1, 2)));
        String allowed = g.op("And", List.of(g.op("Or", List.of(real, self)), causal));
        return g.op("Where", List.of(allowed, g.scalar("attend", 0f), g.scalar("masked", MASKED)));
    }

    private static String layerNorm(OnnxGraph g, String x, String prefix, float eps) {
        return g.op("LayerNormalization", List.of(x, prefix + ".weight", prefix + ".bias"),
                new IntAttribute("axis", -1), new FloatAttribute("epsilon", eps));
    }

    /** GPT-2's Conv1D: {@code x W + b} with {@code W} stored {@code [in, out]}. */
    private static String linear(OnnxGraph g, String x, String prefix) {
        return g.op("Add", List.of(g.op("MatMul", List.of(x, prefix + ".weight")), prefix + ".bias"));
    }

    /** {@code [B, T, d] -> [B, heads, T, head_size]}. */
    private static String splitHeads(OnnxGraph g, String x, String headsShape) {
        return g.op("Transpose", List.of(g.op("Reshape", List.of(x, headsShape))), new IntsAttribute("perm", 0, 2, 1, 3));
    }
}
