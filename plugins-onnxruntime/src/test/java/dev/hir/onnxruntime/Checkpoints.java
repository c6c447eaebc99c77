package dev.hir.onnxruntime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test checkpoints derived from the Python fixture's folder. */
final class Checkpoints {
    private Checkpoints() {}

    /**
     * Copies a checkpoint folder, multiplying every float of its safetensors data section by {@code factor}
     * (another model of the same sizes and tokenizer).
     */
    static Path copyWithScaledWeights(Path from, Path to, float factor) throws IOException {
        Files.createDirectories(to);
        for (String name : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
        byte[] bytes = Files.readAllBytes(from.resolve("model.safetensors"));
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int start = 8 + (int) buffer.getLong(0);
        for (int at = start; at + 4 <= bytes.length; at += 4) {
            buffer.putFloat(at, buffer.getFloat(at) * factor);
        }
        Files.write(to.resolve("model.safetensors"), bytes);
        return to;
    }
}
