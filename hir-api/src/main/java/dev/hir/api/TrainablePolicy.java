package dev.hir.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Policy} that can be trained and saved.
 *
 * <p>Contract: {@link #train} takes one optimizer step on the batch (splitting it into micro-batches for
 * gradient accumulation as its configuration says) and is reproducible for the same weights, optimizer
 * state and batch. {@link #save} writes a checkpoint folder in the Hugging Face layout
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}) plus the optimizer and schedule
 * state, atomically: after a crash the folder either holds the whole checkpoint or does not exist.
 * Creating the policy from that folder resumes training exactly where it stopped.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface TrainablePolicy extends Policy {

    /** One optimizer step on a batch under an objective. */
    TrainingStats train(List<TrainingSequence> batch, Objective objective);

    /** Writes a checkpoint to {@code directory}, which must not exist yet; atomically. */
    void save(Path directory);

    /**
     * Replaces the weights, optimizer and schedule state with those of a checkpoint this policy type
     * wrote with {@link #save}, so that training continues exactly as if it had not stopped (resume).
     *
     * @throws InvalidInputException if the folder is not such a checkpoint or does not fit the model
     */
    void restore(Path directory);

    /** How many optimizer steps this policy has taken since its weights were initialized. */
    long steps();
}
