/**
 * Batched KV-cache generation (greedy, temperature, top-k, top-p; seeded per sample) and log-probabilities
 * of given continuations.
 */
package dev.hir.pytorch.sampling;
