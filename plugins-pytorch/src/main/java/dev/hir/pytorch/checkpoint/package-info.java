/**
 * Checkpoint folders in the Hugging Face layout, written atomically, and a safetensors reader that
 * validates a file before DJL decodes it.
 */
package dev.hir.pytorch.checkpoint;
