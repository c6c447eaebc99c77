/** Java views of tensors' host memory ({@link dev.hir.pytorch.tensor.HostMemory}). */
package dev.hir.pytorch.tensor;
