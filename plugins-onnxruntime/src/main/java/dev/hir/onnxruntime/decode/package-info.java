/** An ONNX Runtime session over a decoder-with-past model, with the KV cache kept in native memory. */
package dev.hir.onnxruntime.decode;
