package dev.hir.onnxruntime.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph under construction, serialized as a {@code ModelProto} by {@link #toModel}. Field numbers
 * follow {@code onnx.proto}; only the messages and fields an inference graph needs are written.
 */
final class OnnxGraph {
    /** {@code TensorProto.DataType} values. */
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int BOOL = 9;

    /** IR version 8 goes with opset 17 (ONNX 1.12); ONNX Runtime 1.21 reads it. */
    static final long IR_VERSION = 8;
    static final long OPSET = 17;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int counter;

    /** An attribute of a node. */
    sealed interface Attribute permits IntAttribute, FloatAttribute, IntsAttribute {
        String name();
    }

    record IntAttribute(String name, long value) implements Attribute {}

    record FloatAttribute(String name, float value) implements Attribute {}

    record IntsAttribute(String name, long... values) implements Attribute {}

    /** A fresh value name with a readable prefix. */
    String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /** Adds a node with one output named after the operator; returns that output's name. */
    String op(String opType, List<String> in, Attribute... attributes) {
        String out = fresh(opType);
        node(opType, in, List.of(out), attributes);
        return out;
    }

    /** Adds a node with the given outputs. */
    void node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(1, i);
        }
        for (String o : out) {
            n.string(2, o);
        }
        n.string(3, "n" + nodes.size() + "_" + opType);
        n.string(4, opType);
        for (Attribute a : attributes) {
            ProtoWriter w = new ProtoWriter().string(1, a.name());
            // AttributeProto.type: FLOAT 1, INT 2, INTS 7.
            if (a instanceof IntAttribute i) {
                w.int64(3, i.value()).int64(20, 2);
            } else if (a instanceof FloatAttribute f) {
                w.float32(2, f.value()).int64(20, 1);
            } else if (a instanceof IntsAttribute is) {
                w.repeatedInt64(8, is.values()).int64(20, 7);
            }
            n.message(5, w);
        }
        nodes.add(n);
    }

    /** A float32 initializer from little-endian bytes. */
    void initializer(String name, long[] dims, byte[] littleEndian, int offset, int length) {
        initializers.add(tensor(name, FLOAT, dims).bytes(9, littleEndian, offset, length));
    }

    /** A constant int64 tensor as an initializer; returns its name. */
    String int64s(String prefix, long... values) {
        String name = fresh(prefix);
        initializers.add(int64Tensor(name, new long[] {values.length}, values));
        return name;
    }

    /** A scalar float constant as an initializer; returns its name. */
    String scalar(String prefix, float value) {
        String name = fresh(prefix);
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        initializers.add(tensor(name, FLOAT, new long[0]).bytes(9, raw));
        return name;
    }

    /** A scalar int64 constant as an initializer; returns its name. */
    String scalarInt64(String prefix, long value) {
        String name = fresh(prefix);
        initializers.add(int64Tensor(name, new long[0], new long[] {value}));
        return name;
    }

    private static ProtoWriter int64Tensor(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return tensor(name, INT64, dims).bytes(9, raw.array());
    }

    private static ProtoWriter tensor(String name, int dataType, long[] dims) {
        return new ProtoWriter().repeatedInt64(1, dims).int64(2, dataType).string(8, name);
    }

    /**
     * Declares a graph input.
     *
     * @param dims each a {@code Long} (fixed size) or a {@code String} (a named dynamic axis)
     */
    void input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    /** Declares a graph output (see {@link #input} for {@code dims}). */
    void output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
    }

    private static ProtoWriter valueInfo(String name, int elemType, Object[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String param) {
                dim.string(2, param);
            } else {
                dim.int64(1, ((Number) d).longValue());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, elemType).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }

    /** The serialized {@code ModelProto}. */
    byte[] toModel(String graphName, String producer, String producerVersion) {
        int size = 1024;
        for (ProtoWriter i : initializers) {
            size += i.size() + 8;
        }
        ProtoWriter graph = new ProtoWriter(size);
        for (ProtoWriter n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, graphName);
        for (ProtoWriter i : initializers) {
            graph.message(5, i);
        }
        for (ProtoWriter i : inputs) {
            graph.message(11, i);
        }
        for (ProtoWriter o : outputs) {
            graph.message(12, o);
        }
        ProtoWriter model = new ProtoWriter(size + 256);
        model.int64(1, IR_VERSION);
        model.string(2, producer);
        model.string(3, producerVersion);
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
        return model.toByteArray();
    }
}
