package dev.hir.api;

import java.nio.file.Path;

/**
 * A {@link Policy} that can replace its weights from a checkpoint folder without being recreated, so a
 * rollout engine follows the trainer after each training phase (weight sync).
 *
 * <p>Contract: after {@link #reload} returns, generation uses the new weights; if it fails the old
 * weights stay in use and the failure is reported.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ReloadablePolicy extends Policy {

    /** Replaces the weights with those of a checkpoint in the Hugging Face layout. */
    void reload(Path checkpoint);
}
