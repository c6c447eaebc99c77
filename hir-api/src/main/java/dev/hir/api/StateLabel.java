package dev.hir.api;

/**
 * One supervised fact about the latent state of a training sequence's world, for an auxiliary loss on the
 * policy's hidden state (PILOT.md part 2: supervising who holds what after each swap is what lets a small
 * model learn to track shuffled objects). The core derives these from an {@link Example}'s
 * {@link LatentState}s; real data has none.
 *
 * <p>Contract for policies: the labels are hints. A policy with an auxiliary state head reads its hidden
 * state at the token that contains character {@link #position()} of the prompt and learns to predict
 * {@link #value()} in slot {@link #slot()}; labels outside its head's slots or values, or at positions a
 * context truncation removed, are skipped. A policy without such a head ignores them, and so do objectives
 * other than plain NLL.
 *
 * @param position a character offset into {@link TrainingSequence#prompt()}: the state holds once this
 *     character has been read (the last character of the span that describes the step)
 * @param slot which component of the state (e.g. 1 for the second person of a tracking puzzle), {@code >= 0}
 * @param value the component's value as a class index (e.g. 2: the object first listed third), {@code >= 0}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record StateLabel(int position, int slot, int value) {
    public StateLabel {
        if (position < 0 || slot < 0 || value < 0) {
            throw new IllegalArgumentException(
                    "position, slot and value must be >= 0, got " + position + ", " + slot + ", " + value);
        }
    }
}
