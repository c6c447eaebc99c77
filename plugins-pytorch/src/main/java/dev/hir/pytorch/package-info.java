/**
 * The {@code pytorch} policy plugin: {@link dev.hir.pytorch.PytorchPolicyFactory} creates a
 * {@link dev.hir.api.TrainablePolicy} backed by a GPT-2-architecture model on DJL's PyTorch engine.
 */
package dev.hir.pytorch;
