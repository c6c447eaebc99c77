/**
 * The {@code onnxruntime} policy plugin: {@link dev.hir.onnxruntime.OnnxRuntimePolicyFactory} creates a
 * {@link dev.hir.api.ReloadablePolicy} that samples with ONNX Runtime from GPT-2 checkpoints exported by
 * {@link dev.hir.onnxruntime.export.Gpt2OnnxExporter}, with the PyTorch policy's sampling semantics.
 */
package dev.hir.onnxruntime;
