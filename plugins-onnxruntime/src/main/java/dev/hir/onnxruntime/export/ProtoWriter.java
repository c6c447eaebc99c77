package dev.hir.onnxruntime.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire format, just what ONNX messages need: varints, length-delimited fields and
 * 32-bit floats. Nested messages are written to their own writer and embedded by {@link #message}.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out;

    ProtoWriter() {
        this(256);
    }

    ProtoWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
    }

    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        return bytes(field, value, 0, value.length);
    }

    ProtoWriter bytes(int field, byte[] value, int offset, int length) {
        tag(field, LENGTH_DELIMITED);
        varint(length);
        out.write(value, offset, length);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        varint(message.out.size());
        append(message);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** Repeated int64, one tag per value (onnx.proto is proto2, where repeated scalars are not packed). */
    ProtoWriter repeatedInt64(int field, long[] values) {
        for (long v : values) {
            int64(field, v);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    private void append(ProtoWriter other) {
        try {
            other.out.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        // Negative int64 values take ten bytes, as protobuf encodes them.
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
