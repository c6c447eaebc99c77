package dev.hir.api;

import java.util.List;

/**
 * Hindsight relabeling: turns a sampled {@link Episode} into training examples labeled with the
 * instruction the output actually satisfied.
 *
 * <p>Contract: draws every random choice from {@link RelabelingContext#random()}, so the same episode and
 * context state give the same result; may return an empty list (the episode is not used); never modifies
 * its inputs. Called from one thread. When several strategies are configured, the core concatenates their
 * results in configuration order.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface RelabelingStrategy {

    /** The training examples an episode yields. */
    List<TrainingExample> relabel(Episode episode, RelabelingContext context);
}
