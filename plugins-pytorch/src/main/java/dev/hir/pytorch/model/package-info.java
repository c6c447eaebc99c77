/**
 * GPT-2 on DJL's NDArray API: {@link dev.hir.pytorch.model.Gpt2Config} (Hugging Face {@code config.json}),
 * {@link dev.hir.pytorch.model.Gpt2Model} (Hugging Face parameter names and layout) and its
 * {@link dev.hir.pytorch.model.KvCache}.
 */
package dev.hir.pytorch.model;
