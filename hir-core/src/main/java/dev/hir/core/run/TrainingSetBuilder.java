package dev.hir.core.run;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.Policy;
import dev.hir.api.RelabelingContext;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.api.TrainingSequence;
import dev.hir.core.buffer.BufferRecord;
import dev.hir.core.config.RunConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Turns an iteration's data into training sequences, per algorithm: HIR relabels every episode, FARL
 * keeps correct ones under the sampling instruction, SFT uses gold answers, GRPO weights the iteration's
 * samples by reward within each query's group.
 */
final class TrainingSetBuilder {
    private final RunConfig config;
    private final Supplier<List<RelabelingStrategy>> strategies;
    private final FeedbackFunction feedback;
    private final Policy tokenizer;

    TrainingSetBuilder(RunConfig config, Supplier<List<RelabelingStrategy>> strategies, FeedbackFunction feedback,
            Policy tokenizer) {
        this.config = config;
        this.strategies = strategies;
        this.feedback = feedback;
        this.tokenizer = tokenizer;
    }

    /**
     * The sequences of one iteration.
     *
     * @param window the buffer records training may read (already capped)
     * @param sampledQueries the queries of this iteration (SFT trains on their gold answers)
     */
    List<TrainingSequence> build(int iteration, List<BufferRecord> window, List<Example> sampledQueries) {
        var out = new ArrayList<TrainingSequence>();
        var instr = config.instructions();
        switch (config.algorithm()) {
            case SFT -> {
                for (Example e : sampledQueries) {
                    out.add(new TrainingSequence(instr.prompt(instr.sampling(), e.input()), instr.answerPrefix() + e.target(),
                            true, List.of(), 1.0, answerSet(e), OptionalDouble.empty(), e.id()));
                }
            }
            case FARL -> {
                for (BufferRecord r : window) {
                    if (r.verdict().equals("correct")) {
                        Example e = r.episode().example();
                        out.add(new TrainingSequence(instr.prompt(instr.sampling(), e.input()), r.output(), true,
                                List.of(), r.count(), answerSet(e), OptionalDouble.empty(), e.id()));
                    }
                }
            }
            case GRPO -> {
                for (BufferRecord r : window) {
                    if (r.iteration() != iteration) {
                        continue; // on-policy: only this iteration's samples
                    }
                    Example e = r.episode().example();
                    for (int c = 0; c < r.count(); c++) {
                        out.add(new TrainingSequence(instr.prompt(instr.sampling(), e.input()), r.output(), true,
                                List.of(), r.score(), answerSet(e), r.logProb(), e.id()));
                    }
                }
            }
            case HIR -> {
                Random random = new Random(Seeds.derive(config.seed(), iteration, "relabel"));
                RelabelingContext context = context(random);
                List<RelabelingStrategy> relabelers = strategies.get();
                for (BufferRecord r : window) {
                    Episode episode = r.episode();
                    for (RelabelingStrategy s : relabelers) {
                        for (TrainingExample t : s.relabel(episode, context)) {
                            out.add(render(t));
                        }
                    }
                }
            }
        }
        return out;
    }

    TrainingSequence render(TrainingExample t) {
        var instr = config.instructions();
        String input = t.example().input();
        String prompt = instr.prompt(t.instruction(), input) + t.outputPrefix();
        List<String> contrast = t.contrastInstructions().stream()
                .map(c -> instr.prompt(c, input) + t.outputPrefix()).toList();
        return new TrainingSequence(prompt, t.target(), t.endOfSequence(), contrast, t.weight(), answerSet(t.example()),
                OptionalDouble.empty(), t.example().id());
    }

    /** The valid answers of a multiple-choice query as the model writes them, for answer-token smoothing. */
    List<String> answerSet(Example e) {
        if (!e.isMultipleChoice()) {
            return List.of();
        }
        var answers = new ArrayList<String>();
        for (int i = 0; i < e.options().size(); i++) {
            answers.add(config.instructions().answerPrefix() + "(" + (char) ('A' + i) + ")");
        }
        return answers;
    }

    private RelabelingContext context(Random random) {
        return new RunRelabelingContext(config.instructions().sampling(), feedback, random, tokenizer);
    }

    /** The context relabeling strategies get during a run: token pieces come from the trained policy. */
    private record RunRelabelingContext(String samplingInstruction, FeedbackFunction feedback, Random random,
            Policy tokenizer) implements RelabelingContext {
        @Override
        public List<String> tokenPieces(String output) {
            return tokenizer.tokenPieces(output);
        }
    }

    /** A seeded random subset of at most {@code cap} records, in their original order. */
    static List<BufferRecord> cap(List<BufferRecord> records, int cap, long seed) {
        if (records.size() <= cap) {
            return records;
        }
        var indices = new ArrayList<Integer>();
        for (int i = 0; i < records.size(); i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(seed));
        var keep = new ArrayList<>(indices.subList(0, cap));
        keep.sort(null);
        return keep.stream().map(records::get).toList();
    }
}
