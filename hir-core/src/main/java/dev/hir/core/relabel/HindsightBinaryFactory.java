package dev.hir.core.relabel;

import dev.hir.api.Episode;
import dev.hir.api.Feedback;
import dev.hir.api.PluginContext;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@code hindsight-binary}: the paper's relabeling (PAPER.md §1, §4). A correct output is trained under
 * the "correct" instruction and contrasted with the "wrong" one; a wrong output the other way round. The
 * whole output is the target, followed by end-of-sequence.
 */
public final class HindsightBinaryFactory implements RelabelingFactory<HindsightBinaryConfig> {

    @Override
    public String name() {
        return "hindsight-binary";
    }

    @Override
    public String description() {
        return "the paper's relabeling: correct outputs under the correct instruction, wrong ones under the wrong one";
    }

    @Override
    public Class<HindsightBinaryConfig> configType() {
        return HindsightBinaryConfig.class;
    }

    @Override
    public RelabelingStrategy create(HindsightBinaryConfig config, PluginContext context) {
        return new Strategy(config.instructions(), config.countAs(), config.malformed());
    }

    private record Strategy(BinaryInstructions instructions, CountHandling countAs, MalformedHandling malformed)
            implements RelabelingStrategy {

        @Override
        public List<TrainingExample> relabel(Episode episode, RelabelingContext context) {
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(context, "context");
            if (malformed == MalformedHandling.SKIP && episode.feedback().verdict() == Feedback.Verdict.MALFORMED) {
                return List.of();
            }
            var labels = instructions.labelsFor(episode.feedback().isCorrect());
            var example = new TrainingExample(labels.instruction(), labels.contrasts(), episode.example(), "",
                    episode.output(), true, countAs.weight(episode.count()));
            // Identical copies: a repeat only matters to how the trainer batches and averages.
            return Collections.nCopies(countAs.relabels(episode.count()), example);
        }
    }
}
