package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hir.api.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loss of an {@link Objective} on a batch of {@link EncodedSequence}s, as a differentiable scalar.
 *
 * <p>Every objective is a mean over the batch's sequences of a per-sequence loss (objectives that look
 * across the batch, the paper's contrastive term and the group-normalized advantages, read the whole
 * batch but still give one loss per sequence). {@link #compute} returns the share of sequences
 * {@code [from, to)}, divided by the whole batch size, so the losses, term values and gradients of the
 * micro-batches of a partition add up to those of the whole batch: that is how gradient accumulation
 * reproduces the unsplit update.
 */
public sealed interface ObjectiveLoss permits NllLoss, HirLoss, GroupRelativeLoss {

    /**
     * The loss of an objective.
     *
     * @param objective which loss, with its weights
     * @param reference the frozen model the group-relative KL penalty compares with; required when
     *     {@link Objective.GroupRelative#klWeight()} is positive, ignored otherwise
     * @throws IllegalArgumentException when a KL penalty is asked for without a reference model
     */
    static ObjectiveLoss of(Objective objective, Optional<CausalLm> reference) {
        return of(objective, reference, Optional.empty());
    }

    /**
     * The loss of an objective, with the auxiliary state loss of a {@link StateHead} when one is given
     * (plain NLL only: the other objectives ignore state targets).
     */
    static ObjectiveLoss of(Objective objective, Optional<CausalLm> reference, Optional<StateHead> stateHead) {
        Objects.requireNonNull(objective, "objective");
        if (objective instanceof Objective.Nll) {
            return new NllLoss(stateHead);
        }
        if (objective instanceof Objective.Hir hir) {
            return new HirLoss(hir);
        }
        if (objective instanceof Objective.GroupRelative groupRelative) {
            if (groupRelative.klWeight() > 0.0 && reference.isEmpty()) {
                throw new IllegalArgumentException(
                        "the group-relative objective has klWeight " + groupRelative.klWeight()
                                + " but no frozen reference model was given");
            }
            return new GroupRelativeLoss(groupRelative, reference);
        }
        throw new IllegalArgumentException("unknown objective " + objective);
    }

    /**
     * The loss of sequences {@code [from, to)} of a batch, divided by the batch size.
     *
     * @param model the model being trained; its forward pass is recorded for the backward pass when a
     *     gradient collector is open
     * @param manager where the batch's arrays are created (the caller's per-step manager or scope frees them)
     * @param batch the whole batch (cross-sequence terms read all of it)
     */
    Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch, int from, int to);

    /**
     * How many (prompt, target) rows {@link #compute} scores for sequences {@code [from, to)}: one per
     * sequence, plus the contrastive terms' extra rows (one per sequence with a contrast prompt for the
     * pairwise term; for the paper's, one per distinct (prompt of the batch, target) pair not already a
     * sequence's own). The trainer sizes micro-batches by rows, which is what time and memory follow.
     */
    default int rows(List<EncodedSequence> batch, int from, int to) {
        LossSupport.checkRange(batch, from, to);
        return to - from;
    }

    /** The loss of a whole batch. */
    default Loss compute(CausalLm model, NDManager manager, List<EncodedSequence> batch) {
        return compute(model, manager, batch, 0, batch.size());
    }

    /**
     * A loss and its terms.
     *
     * @param tensor the differentiable scalar loss
     * @param value the loss as a number
     * @param terms each term by name (e.g. {@code "nll"}, {@code "contrastive"}, {@code "entropy"},
     *     {@code "pg"}, {@code "kl"}), on the same scale as the loss
     * @param tokens target tokens of the sequences the loss covers
     */
    record Loss(NDArray tensor, double value, Map<String, Double> terms, long tokens) {
        public Loss {
            Objects.requireNonNull(tensor, "tensor");
            terms = Map.copyOf(terms);
        }

        /**
         * Reads the loss and named scalar terms in one transfer.
         *
         * @param tensor the scalar loss
         * @param named scalar terms in the order they are reported
         */
        static Loss of(NDArray tensor, Map<String, NDArray> named, long tokens) {
            NDList scalars = new NDList(tensor.stopGradient());
            named.values().forEach(a -> scalars.add(a.stopGradient()));
            double[] values = NDArrays.stack(scalars).toType(DataType.FLOAT64, false).toDoubleArray();
            Map<String, Double> terms = new LinkedHashMap<>();
            int i = 1;
            for (String name : named.keySet()) {
                terms.put(name, values[i++]);
            }
            return new Loss(tensor, values[0], terms, tokens);
        }
    }
}
