package dev.hir.onnxruntime;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture {@code src/test/python/make_onnx_fixture.py} writes: a tiny GPT-2 exported by PyTorch, the
 * same model as a checkpoint folder, and the logits PyTorch computed.
 */
public final class PythonFixture {
    private PythonFixture() {}

    /** The fixture folder. */
    public static Path dir() {
        try {
            return Path.of(PythonFixture.class.getResource("/python-fixture/model.onnx").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** expected.json. */
    public static JsonObject expected() {
        try {
            return JsonParser.parseString(Files.readString(dir().resolve("expected.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON matrix of integers, flattened row-major. */
    public static long[] longs(JsonArray rows) {
        int n = 0;
        for (var r : rows) {
            n += r.getAsJsonArray().size();
        }
        long[] out = new long[n];
        int i = 0;
        for (var r : rows) {
            for (var v : r.getAsJsonArray()) {
                out[i++] = v.getAsLong();
            }
        }
        return out;
    }

    /** A JSON [rows][positions][vocab] array, flattened. */
    public static float[] floats3(JsonArray a) {
        int n = 0;
        for (var r : a) {
            for (var p : r.getAsJsonArray()) {
                n += p.getAsJsonArray().size();
            }
        }
        float[] out = new float[n];
        int i = 0;
        for (var r : a) {
            for (var p : r.getAsJsonArray()) {
                for (var v : p.getAsJsonArray()) {
                    out[i++] = v.getAsFloat();
                }
            }
        }
        return out;
    }
}
