/**
 * The built-in relabeling strategies: {@code hindsight-binary} (the paper's two instructions),
 * {@code hindsight-subgoal} (sub-output relabeling, the paper's and the reference code's rule) and
 * {@code hindsight-graded} (one instruction per band of a graded score). Each is a
 * {@link dev.hir.api.RelabelingFactory} with a configuration record; {@link dev.hir.core.relabel.Variant}
 * selects the paper's or the reference code's behaviour where they differ (PAPER.md §8).
 */
package dev.hir.core.relabel;
