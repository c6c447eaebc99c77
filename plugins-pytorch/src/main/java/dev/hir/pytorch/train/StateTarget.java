package dev.hir.pytorch.train;

/**
 * A {@link dev.hir.api.StateLabel} after tokenization: the head reads the hidden state of prompt token
 * {@code token} and learns value {@code value} in slot {@code slot}.
 */
public record StateTarget(int token, int slot, int value) {
    public StateTarget {
        if (token < 0 || slot < 0 || value < 0) {
            throw new IllegalArgumentException("token, slot and value must be >= 0, got " + token + ", " + slot + ", " + value);
        }
    }
}
