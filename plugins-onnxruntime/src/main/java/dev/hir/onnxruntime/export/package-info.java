/**
 * Export of GPT-2 checkpoints (Hugging Face layout) to ONNX decoder-with-past models, written with a small
 * hand-made protobuf encoder.
 */
package dev.hir.onnxruntime.export;
