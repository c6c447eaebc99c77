package dev.hir.core.relabel;

import dev.hir.api.Episode;
import dev.hir.api.Feedback;
import dev.hir.api.PluginContext;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@code hindsight-graded}: relabels a whole output with the instruction of the bucket its graded
 * feedback score falls in (bucket {@code b} holds scores in {@code [thresholds[b-1], thresholds[b])}),
 * contrasted with every other bucket's instruction, lowest first. It turns feedback that says "how
 * right" (e.g. the share of words in the right place) into more than two instructions.
 */
public final class HindsightGradedFactory implements RelabelingFactory<HindsightGradedConfig> {

    @Override
    public String name() {
        return "hindsight-graded";
    }

    @Override
    public String description() {
        return "whole-output relabeling with one instruction per band of the graded feedback score";
    }

    @Override
    public Class<HindsightGradedConfig> configType() {
        return HindsightGradedConfig.class;
    }

    @Override
    public RelabelingStrategy create(HindsightGradedConfig config, PluginContext context) {
        return new Strategy(config.thresholds(), config.instructions(), config.topIsCorrect(), config.countAs(),
                config.malformed());
    }

    private record Strategy(
            List<Double> thresholds,
            List<String> instructions,
            boolean topIsCorrect,
            CountHandling countAs,
            MalformedHandling malformed) implements RelabelingStrategy {

        @Override
        public List<TrainingExample> relabel(Episode episode, RelabelingContext context) {
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(context, "context");
            Feedback feedback = episode.feedback();
            if (malformed == MalformedHandling.SKIP && feedback.verdict() == Feedback.Verdict.MALFORMED) {
                return List.of();
            }
            int bucket = bucketOf(feedback);
            var contrast = new ArrayList<>(instructions);
            contrast.remove(bucket);
            var example = new TrainingExample(instructions.get(bucket), contrast, episode.example(), "",
                    episode.output(), true, countAs.weight(episode.count()));
            return Collections.nCopies(countAs.relabels(episode.count()), example);
        }

        int bucketOf(Feedback feedback) {
            int top = thresholds.size();
            int bucket = 0;
            while (bucket < top && feedback.score() >= thresholds.get(bucket)) {
                bucket++;
            }
            if (topIsCorrect) {
                if (feedback.isCorrect()) {
                    return top;
                }
                return Math.min(bucket, top - 1);
            }
            return bucket;
        }
    }
}
