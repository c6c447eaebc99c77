package dev.hir.onnxruntime.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.google.gson.JsonObject;
import dev.hir.onnxruntime.PythonFixture;
import dev.hir.onnxruntime.export.Gpt2OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The decoder session on models exported by PyTorch and by this plugin, against PyTorch's logits. */
class DecoderSessionTest {
    private static final DecoderSession.Settings ONE_THREAD = new DecoderSession.Settings(1, OptLevel.ALL_OPT);

    @Test
    void modelExportedByPytorchMatchesPytorchLogitsWithLeftPaddingAndCache() throws IOException {
        byte[] model = Files.readAllBytes(PythonFixture.dir().resolve("model.onnx"));
        try (DecoderSession session = DecoderSession.open(model, ONE_THREAD, "model.onnx")) {
            assertMatchesPytorch(session);
        }
    }

    @Test
    void javaExportOfTheSameCheckpointMatchesPytorchLogits() {
        byte[] model = Gpt2OnnxExporter.export(PythonFixture.dir()).onnx();
        try (DecoderSession session = DecoderSession.open(model, ONE_THREAD, "export")) {
            assertMatchesPytorch(session);
        }
    }

    @Test
    void lastLogitsOutputEqualsTheLastPositionOfLogits() {
        byte[] model = Gpt2OnnxExporter.export(PythonFixture.dir()).onnx();
        long[] ids = {5, 6, 7, 8, 9, 10};
        long[] ones = {1, 1, 1, 1, 1, 1};
        long[] pos = {0, 1, 2, 0, 1, 2};
        try (DecoderSession session = DecoderSession.open(model, ONE_THREAD, "export");
                DecoderSession.Past empty = session.emptyPast(2)) {
            float[] last = session.run(ids, ones, pos, 2, 3, empty, true, false).logits();
            float[] all = session.run(ids, ones, pos, 2, 3, empty, false, false).logits();
            int vocab = all.length / 6;
            assertEquals(2 * vocab, last.length);
            for (int r = 0; r < 2; r++) {
                for (int v = 0; v < vocab; v++) {
                    assertEquals(all[(r * 3 + 2) * vocab + v], last[r * vocab + v], 1e-6f);
                }
            }
        }
    }

    @Test
    void keepingRowsOfThePastGivesTheSameNextStepAsTheFullBatch() {
        byte[] model = Gpt2OnnxExporter.export(PythonFixture.dir()).onnx();
        long[] ids = {5, 6, 7, 8, 9, 10, 11, 12, 13};
        long[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        long[] pos = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        try (DecoderSession session = DecoderSession.open(model, ONE_THREAD, "export");
                DecoderSession.Past empty = session.emptyPast(3);
                DecoderSession.Past past = session.run(ids, ones, pos, 3, 3, empty, true, true).present().orElseThrow();
                DecoderSession.Past kept = past.keepRows(new int[] {2, 0})) {
            assertEquals(2, kept.rows());
            assertEquals(3, kept.length());
            float[] full = session.run(new long[] {20, 21, 22}, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                    new long[] {3, 3, 3}, 3, 1, past, true, false).logits();
            float[] some = session.run(new long[] {22, 20}, new long[] {1, 1, 1, 1, 1, 1, 1, 1},
                    new long[] {3, 3}, 2, 1, kept, true, false).logits();
            int vocab = full.length / 3;
            for (int v = 0; v < vocab; v++) {
                assertEquals(full[2 * vocab + v], some[v], 1e-5f);
                assertEquals(full[v], some[vocab + v], 1e-5f);
            }
        }
    }

    private static void assertMatchesPytorch(DecoderSession session) {
        JsonObject expected = PythonFixture.expected();
        JsonObject prefill = expected.getAsJsonObject("prefill");
        JsonObject step = expected.getAsJsonObject("step");
        long[] ids = PythonFixture.longs(prefill.getAsJsonArray("input_ids"));
        long[] mask = PythonFixture.longs(prefill.getAsJsonArray("attention_mask"));
        long[] pos = PythonFixture.longs(prefill.getAsJsonArray("position_ids"));
        int rows = 2;
        int length = ids.length / rows;
        try (DecoderSession.Past empty = session.emptyPast(rows)) {
            DecoderSession.Step first = session.run(ids, mask, pos, rows, length, empty, false, true);
            float[] want = PythonFixture.floats3(prefill.getAsJsonArray("logits"));
            int vocab = first.vocab();
            double max = 0;
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < length; t++) {
                    if (mask[r * length + t] == 0) {
                        continue; // padding positions are not compared: implementations may differ there
                    }
                    for (int v = 0; v < vocab; v++) {
                        int i = (r * length + t) * vocab + v;
                        max = Math.max(max, Math.abs(first.logits()[i] - want[i]));
                    }
                }
            }
            assertTrue(max < 1e-4, "prefill max abs diff " + max);
            try (DecoderSession.Past past = first.present().orElseThrow()) {
                assertEquals(length, past.length());
                DecoderSession.Step next = session.run(PythonFixture.longs(step.getAsJsonArray("input_ids")),
                        PythonFixture.longs(step.getAsJsonArray("attention_mask")),
                        PythonFixture.longs(step.getAsJsonArray("position_ids")), rows, 1, past, true, false);
                float[] wantNext = PythonFixture.floats3(step.getAsJsonArray("logits"));
                double maxNext = 0;
                for (int i = 0; i < wantNext.length; i++) {
                    maxNext = Math.max(maxNext, Math.abs(next.logits()[i] - wantNext[i]));
                }
                assertTrue(maxNext < 1e-4, "cached step max abs diff " + maxNext);
                System.out.printf("max abs diff vs PyTorch: prefill %.2e, cached step %.2e%n", max, maxNext);
            }
        }
    }
}
