package dev.hir.core.relabel;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.PluginContext;
import dev.hir.api.PrefixFeedback;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * {@code hindsight-subgoal}: sub-output relabeling (PAPER.md §4, "Sub-output relabeling"). The output is
 * cut between the policy's token pieces {@code e_0 … e_{L-1}}; the beginning is given as context
 * ({@link TrainingExample#outputPrefix()}) and the model learns the rest under the instruction that part
 * satisfied. All random choices come from {@link RelabelingContext#random()}.
 *
 * <p><b>{@code variant: paper}</b> — "relabel with the future part". A cut {@code i} is drawn uniformly
 * from {@code 0 … L-1}; the target is {@code e_i … e_{L-1}} followed by end-of-sequence, the prefix
 * {@code e_0 … e_{i-1}}. The future part is judged as the completion it is: given the prefix, it produces
 * the whole output, so its feedback is the whole output's ({@link Episode#feedback()}), and it is labeled
 * "correct" or "wrong" accordingly. Cutting a wrong output after the point where it could no longer become
 * correct would blame the future part for a mistake the prefix already made; so with
 * {@code cut_range: decisive} (default) and a feedback that implements {@link PrefixFeedback}, a wrong
 * output is cut only at {@code i ≤ d}, where {@code d} is the largest count of pieces whose concatenation
 * is still accepted by {@link PrefixFeedback#isPrefixOfCorrect} (the future part then contains the
 * divergence). Correct outputs, and all outputs without a prefix check, are cut anywhere.
 *
 * <p><b>{@code variant: reference}</b> — offline_trainer.py's rule, on token pieces instead of T5 tokens.
 * With {@code L} = pieces + 1 (the end-of-sequence token counts, as in the code's labels):
 * <ul>
 *   <li>{@code L ≤ 3}: the whole output, as {@code hindsight-binary} would relabel it;</li>
 *   <li>otherwise {@code start ~ U{0, 2, 4, …, ≤ L-4}} and {@code end ~ U{start+1, start+3, …, ≤ L}};
 *       the prefix is {@code y[:start]}, the target {@code y[start:end]};</li>
 *   <li>if {@code end < L} and {@code y[:end]} normalized equals the normalized gold: a wrong output's
 *       labels are swapped (the beginning is labeled with the correct contrast instruction, contrasted with
 *       the wrong one), and the target ends with end-of-sequence;</li>
 *   <li>else if {@code end < L} and normalized {@code y[:end]} is a substring of the normalized gold: the
 *       same swap, and the target does <em>not</em> end with end-of-sequence;</li>
 *   <li>otherwise the whole output's labels, and the target ends with end-of-sequence (also when it was
 *       cut short: the code re-tokenizes it, which appends {@code </s>}).</li>
 * </ul>
 * Only wrong outputs flip (to correct); correct outputs keep their labels. The gold is
 * {@link Example#target()} and the normalization the reference's (PAPER.md §4); whether the whole output
 * is correct comes from the task's feedback, not from that normalization.
 */
public final class HindsightSubgoalFactory implements RelabelingFactory<HindsightSubgoalConfig> {

    @Override
    public String name() {
        return "hindsight-subgoal";
    }

    @Override
    public String description() {
        return "sub-output relabeling: a random beginning of the output as context, the rest labeled by what it achieved";
    }

    @Override
    public Class<HindsightSubgoalConfig> configType() {
        return HindsightSubgoalConfig.class;
    }

    @Override
    public RelabelingStrategy create(HindsightSubgoalConfig config, PluginContext context) {
        return new Strategy(config.variant(), config.cutRange(), config.instructions(), config.countAs(),
                config.malformed());
    }

    private record Strategy(
            Variant variant,
            CutRange cutRange,
            BinaryInstructions instructions,
            CountHandling countAs,
            MalformedHandling malformed) implements RelabelingStrategy {

        @Override
        public List<TrainingExample> relabel(Episode episode, RelabelingContext context) {
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(context, "context");
            if (malformed == MalformedHandling.SKIP && episode.feedback().verdict() == Feedback.Verdict.MALFORMED) {
                return List.of();
            }
            List<String> pieces = List.copyOf(context.tokenPieces(episode.output()));
            if (!String.join("", pieces).equals(episode.output())) {
                throw new IllegalStateException("the policy's token pieces do not concatenate to the output '"
                        + episode.output() + "'");
            }
            double weight = countAs.weight(episode.count());
            int n = countAs.relabels(episode.count());
            var result = new ArrayList<TrainingExample>(n);
            for (int k = 0; k < n; k++) {
                result.add(variant == Variant.PAPER
                        ? paperCut(episode, pieces, context, weight)
                        : referenceCut(episode, pieces, context.random(), weight));
            }
            return List.copyOf(result);
        }

        private TrainingExample paperCut(Episode episode, List<String> pieces, RelabelingContext context, double weight) {
            boolean correct = episode.feedback().isCorrect();
            var labels = instructions.labelsFor(correct);
            int last = Math.max(0, pieces.size() - 1);
            if (!correct && cutRange == CutRange.DECISIVE && context.feedback() instanceof PrefixFeedback prefixes) {
                last = Math.min(last, Math.max(0, lastAcceptedPrefix(prefixes, episode.example(), pieces)));
            }
            int cut = context.random().nextInt(last + 1);
            return new TrainingExample(labels.instruction(), labels.contrasts(), episode.example(),
                    join(pieces, 0, cut), join(pieces, cut, pieces.size()), true, weight);
        }

        /** The largest k such that the first k pieces may still become a correct answer; -1 if not even none. */
        private static int lastAcceptedPrefix(PrefixFeedback prefixes, Example example, List<String> pieces) {
            // Accepted beginnings are closed under shortening (PrefixFeedback's contract), so scan forward.
            var text = new StringBuilder();
            if (!prefixes.isPrefixOfCorrect(example, "")) {
                return -1;
            }
            for (int k = 0; k < pieces.size(); k++) {
                text.append(pieces.get(k));
                if (!prefixes.isPrefixOfCorrect(example, text.toString())) {
                    return k;
                }
            }
            return pieces.size();
        }

        private TrainingExample referenceCut(Episode episode, List<String> pieces, Random random, double weight) {
            boolean correct = episode.feedback().isCorrect();
            var labels = instructions.labelsFor(correct);
            int length = pieces.size() + 1;
            if (length <= 3) {
                return new TrainingExample(labels.instruction(), labels.contrasts(), episode.example(), "",
                        episode.output(), true, weight);
            }
            int start = 2 * random.nextInt((length - 2) / 2);
            int end = start + 1 + 2 * random.nextInt((length - start + 1) / 2);
            String prefix = join(pieces, 0, start);
            boolean truncated = end < length;
            if (truncated) {
                String upToEnd = ReferenceNormalization.prediction(join(pieces, 0, end));
                String gold = ReferenceNormalization.gold(episode.example().target());
                boolean equalsGold = upToEnd.equals(gold);
                if (equalsGold || gold.contains(upToEnd)) {
                    var flipped = correct ? labels : labels.swapped();
                    return new TrainingExample(flipped.instruction(), flipped.contrasts(), episode.example(), prefix,
                            join(pieces, start, end), equalsGold, weight);
                }
            }
            return new TrainingExample(labels.instruction(), labels.contrasts(), episode.example(), prefix,
                    join(pieces, start, Math.min(end, pieces.size())), true, weight);
        }

        private static String join(List<String> pieces, int from, int to) {
            return String.join("", pieces.subList(from, to));
        }
    }
}
