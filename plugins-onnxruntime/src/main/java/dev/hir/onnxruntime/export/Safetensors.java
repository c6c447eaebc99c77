package dev.hir.onnxruntime.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file read whole into memory, its layout validated: every tensor's byte range lies inside
 * the data section and matches its type and shape. The exporter copies the little-endian bytes of each
 * tensor straight into an ONNX initializer.
 *
 * @param source the file, for error messages
 * @param tensors the tensors by name, in header order
 * @param bytes the whole file
 */
record Safetensors(String source, Map<String, Tensor> tensors, byte[] bytes) {

    private static final Map<String, Integer> DTYPE_BYTES = Map.of(
            "F64", 8, "F32", 4, "F16", 2, "BF16", 2,
            "I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);

    /**
     * One tensor.
     *
     * @param dtype the safetensors type name
     * @param shape its dimensions
     * @param offset where its bytes start in the file
     * @param length how many bytes it has
     */
    record Tensor(String dtype, long[] shape, int offset, int length) {}

    static Safetensors read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 64) {
                throw new InvalidInputException(source, "is " + size + " bytes; the exporter handles files below 2 GB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        }
        if (bytes.length < 8) {
            throw new InvalidInputException(source, "not a safetensors file: " + bytes.length + " bytes, shorter than the header length");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > bytes.length - 8) {
            throw new InvalidInputException(source, "header length " + Long.toUnsignedString(headerLength)
                    + " runs past the end of the file (" + bytes.length + " bytes)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) headerLength)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(source, "header is not valid UTF-8", e);
        }
        JsonObject header;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new InvalidInputException(source, "header is not a JSON object");
            }
            header = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InvalidInputException(source, "header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - (long) dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(e.getKey(), entry(source, e.getKey(), e.getValue(), dataStart, dataLength));
        }
        return new Safetensors(source, Collections.unmodifiableMap(tensors), bytes);
    }

    private static Tensor entry(String source, String name, JsonElement value, int dataStart, long dataLength) {
        String where = "tensor '" + name + "'";
        try {
            JsonObject o = value.getAsJsonObject();
            String dtype = o.get("dtype").getAsString();
            Integer width = DTYPE_BYTES.get(dtype);
            if (width == null) {
                throw new InvalidInputException(source, where + " has unknown dtype " + dtype);
            }
            JsonArray dims = o.getAsJsonArray("shape");
            long[] shape = new long[dims.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw new InvalidInputException(source, where + " has a negative dimension");
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            JsonArray offsets = o.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (begin < 0 || end < begin || end > dataLength) {
                throw new InvalidInputException(source, where + " has data offsets [" + begin + ", " + end
                        + "] outside the data section of " + dataLength + " bytes");
            }
            if (end - begin != Math.multiplyExact(count, width)) {
                throw new InvalidInputException(source, where + " has " + (end - begin) + " bytes, but "
                        + dtype + " " + java.util.Arrays.toString(shape) + " needs " + count * width);
            }
            return new Tensor(dtype, shape, (int) (dataStart + begin), (int) (end - begin));
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException(source, where + " has a malformed header entry: " + e.getMessage(), e);
        }
    }
}
