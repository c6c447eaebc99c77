/**
 * Feedback functions for HIR runs: {@code exact-match} (the reference code's normalization),
 * {@code multiple-choice}, {@code numeric}, {@code word-list} and {@code regex}. Each is a
 * {@link dev.hir.api.FeedbackFactory} with a configuration record; all but {@code regex} also judge
 * partial outputs ({@link dev.hir.api.PrefixFeedback}) for sub-output relabeling.
 */
package dev.hir.feedback;
