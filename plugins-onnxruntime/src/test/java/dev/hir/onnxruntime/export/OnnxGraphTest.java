package dev.hir.onnxruntime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.hir.api.InvalidInputException;
import dev.hir.onnxruntime.decode.DecoderSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written protobuf encoding, checked by ONNX Runtime itself; and the decoder signature check. */
class OnnxGraphTest {
    private static final DecoderSession.Settings SETTINGS = new DecoderSession.Settings(1, OptLevel.BASIC_OPT);

    @Test
    void smallGraphRunsWithAttributesInitializersAndDynamicAxes() throws OrtException {
        OnnxGraph g = new OnnxGraph();
        g.input("x", OnnxGraph.FLOAT, "batch", 3L);
        String scaled = g.op("Mul", List.of("x", g.scalar("two", 2f)));
        String summed = g.op("ReduceSum", List.of(scaled, g.int64s("axes", 1)), new OnnxGraph.IntAttribute("keepdims", 0));
        g.node("Transpose", List.of(g.op("Unsqueeze", List.of(summed, g.int64s("axes", 0)))), List.of("y"),
                new OnnxGraph.IntsAttribute("perm", 1, 0));
        g.output("y", OnnxGraph.FLOAT, "batch", 1L);
        byte[] model = g.toModel("test", "hir", "0");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, -1, -2, 10}), new long[] {2, 3});
                OrtSession.Result r = session.run(Map.of("x", x))) {
            float[][] y = (float[][]) r.get(0).getValue();
            assertEquals(12f, y[0][0]);
            assertEquals(14f, y[1][0]);
        }
    }

    @Test
    void modelWithoutTheDecoderSignatureIsRejectedWithTheMissingName() {
        OnnxGraph g = new OnnxGraph();
        g.input("input_ids", OnnxGraph.INT64, "batch", "sequence");
        g.node("Identity", List.of("input_ids"), List.of("logits"));
        g.output("logits", OnnxGraph.INT64, "batch", "sequence");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DecoderSession.open(g.toModel("t", "hir", "0"), SETTINGS, "other.onnx"));
        assertEquals("other.onnx", e.source());
        assertTrue(e.getMessage().startsWith("the model has no input 'attention_mask'"), e.getMessage());
    }

    @Test
    void bytesThatAreNotAModelAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DecoderSession.open(new byte[] {8, 1, 42, 7}, SETTINGS, "garbage.onnx"));
        assertTrue(e.getMessage().startsWith("ONNX Runtime rejects the model"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
