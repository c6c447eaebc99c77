package dev.hir.pytorch.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hir.api.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: reading (validated, then decoded by DJL's {@link NDList} codec) and writing.
 *
 * <p>DJL trusts the file: a header length past the end makes it allocate that many bytes, and offsets
 * that disagree with a tensor's shape reach native code. So {@link #readHeader} checks the whole layout
 * first, with every size computed in overflow-checked {@code long} arithmetic, and only a file that passed
 * is handed to DJL. A corrupt or hostile file gives an {@link InvalidInputException} naming the file and
 * the tensor.
 */
public final class SafetensorsFile {
    /** Larger headers are refused: a real one is a few hundred bytes per tensor. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final Map<String, Integer> DTYPE_BYTES = Map.of(
            "F64", 8, "F32", 4, "F16", 2, "BF16", 2,
            "I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);

    private SafetensorsFile() {}

    /**
     * One tensor as the header describes it.
     *
     * @param name the tensor's name
     * @param dtype the safetensors type name ({@code F32}, {@code F16}, …)
     * @param shape the dimensions
     * @param begin first byte of its data, relative to the data section
     * @param end one past its last byte
     */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        /** The shape as a DJL {@link Shape}. */
        public Shape djlShape() {
            return new Shape(shape);
        }
    }

    /**
     * The validated layout of a file.
     *
     * @param entries the tensors in header order
     * @param dataStart where the data section starts in the file
     */
    public record Header(Map<String, Entry> entries, long dataStart) {}

    /** Reads and validates the header: lengths, types, shapes and offsets against the file's real size. */
    public static Header readHeader(Path file) {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new InvalidInputException(source, "not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > size - 8) {
                throw new InvalidInputException(source, "header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the file (" + size + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new InvalidInputException(source, "header length " + headerLength + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(headerBytes.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidInputException(source, "header is not valid UTF-8", e);
            }
            long dataStart = 8 + headerLength;
            return parseHeader(source, text, dataStart, size - dataStart);
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    private static Header parseHeader(String source, String text, long dataStart, long dataLength) {
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new InvalidInputException(source, "header is not a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            throw new InvalidInputException(source, "header is not valid JSON");
        }
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            entries.put(name, parseEntry(source, name, e.getValue(), dataLength));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry previous = null;
        for (Entry entry : byOffset) {
            if (previous != null && entry.begin() < previous.end()) {
                throw new InvalidInputException(source, "tensor '" + entry.name() + "': data offsets ["
                        + entry.begin() + ", " + entry.end() + ") overlap those of tensor '" + previous.name() + "'");
            }
            if (entry.end() > entry.begin()) {
                previous = entry;
            }
        }
        return new Header(Collections.unmodifiableMap(entries), dataStart);
    }

    private static Entry parseEntry(String source, String name, JsonElement value, long dataLength) {
        String where = "tensor '" + name + "'";
        try {
            if (!value.isJsonObject()) {
                throw new InvalidInputException(source, where + ": header entry is not an object");
            }
            JsonObject o = value.getAsJsonObject();
            JsonElement dtypeElement = o.get("dtype");
            if (dtypeElement == null || !dtypeElement.isJsonPrimitive()) {
                throw new InvalidInputException(source, where + ": missing dtype");
            }
            String dtype = dtypeElement.getAsString();
            Integer elementBytes = DTYPE_BYTES.get(dtype);
            if (elementBytes == null) {
                throw new InvalidInputException(source, where + ": unknown dtype '" + dtype + "'");
            }
            JsonElement shapeElement = o.get("shape");
            if (shapeElement == null || !shapeElement.isJsonArray()) {
                throw new InvalidInputException(source, where + ": missing shape");
            }
            JsonArray shapeArray = shapeElement.getAsJsonArray();
            long[] shape = new long[shapeArray.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeArray.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw new InvalidInputException(source, where + ": negative dimension " + shape[i]);
                }
                elements = Math.multiplyExact(elements, shape[i]);
            }
            long bytes = Math.multiplyExact(elements, (long) elementBytes);
            JsonElement offsetsElement = o.get("data_offsets");
            if (offsetsElement == null || !offsetsElement.isJsonArray() || offsetsElement.getAsJsonArray().size() != 2) {
                throw new InvalidInputException(source, where + ": data_offsets must be [begin, end]");
            }
            long begin = offsetsElement.getAsJsonArray().get(0).getAsLong();
            long end = offsetsElement.getAsJsonArray().get(1).getAsLong();
            if (begin < 0 || end < begin) {
                throw new InvalidInputException(source, where + ": invalid data offsets [" + begin + ", " + end + ")");
            }
            if (end > dataLength) {
                throw new InvalidInputException(source, where + ": data offsets [" + begin + ", " + end
                        + ") run past the end of the data (" + dataLength + " bytes); is the file truncated?");
            }
            if (end - begin != bytes) {
                throw new InvalidInputException(source, where + ": " + dtype + " " + java.util.Arrays.toString(shape)
                        + " needs " + bytes + " bytes but its data offsets span " + (end - begin));
            }
            return new Entry(name, dtype, shape, begin, end);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(source, where + ": shape too large");
        } catch (IllegalStateException | NumberFormatException | UnsupportedOperationException e) {
            throw new InvalidInputException(source, where + ": malformed header entry (" + e.getMessage() + ")");
        }
    }

    /**
     * Decodes a validated file with DJL. The arrays are named and live on {@code manager}; the caller
     * owns them.
     */
    public static Map<String, NDArray> decode(Path file, Header header, NDManager manager) {
        long dataEnd = header.entries().values().stream().mapToLong(Entry::end).max().orElse(0);
        if (dataEnd > Integer.MAX_VALUE) {
            throw new InvalidInputException(file.toString(), "tensor data of " + dataEnd + " bytes exceeds the 2 GiB this reader supports");
        }
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file.toString(), "cannot decode: " + e.getMessage(), e);
        }
        LinkedHashMap<String, NDArray> named = new LinkedHashMap<>();
        for (NDArray array : list) {
            named.put(array.getName(), array);
        }
        return named;
    }

    /**
     * Writes named arrays as a safetensors file, tensors in list order. Not DJL's encoder: that one writes
     * no {@code __metadata__}, and Hugging Face's loader wants {@code "format": "pt"} there; the header is
     * also padded to 8 bytes as Hugging Face pads it. The bytes depend only on the names, shapes and values,
     * so saving the same weights twice gives the same file.
     */
    public static void write(Path file, NDList named) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (NDArray array : named) {
            String name = array.getName();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("every array needs a name");
            }
            long bytes = array.size() * array.getDataType().getNumOfBytes();
            header.append(',').append(jsonString(name))
                    .append(":{\"dtype\":\"").append(array.getDataType().asSafetensors())
                    .append("\",\"shape\":[");
            long[] shape = array.getShape().getShape();
            for (int i = 0; i < shape.length; i++) {
                header.append(i == 0 ? "" : ",").append(shape[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while ((header.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) {
            header.append(' ');
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 1 << 16)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (NDArray array : named) {
                ByteBuffer data = array.toByteBuffer();
                if (data.order() != ByteOrder.LITTLE_ENDIAN && array.getDataType().getNumOfBytes() > 1) {
                    throw new IOException("safetensors is little-endian; this machine's arrays are not");
                }
                byte[] chunk = new byte[Math.min(data.remaining(), 1 << 20)];
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }
}
