package dev.hir.core.pretrain;

import dev.hir.api.InvalidInputException;
import dev.hir.core.config.PluginSpec;
import dev.hir.core.config.RunConfig;
import dev.hir.core.relabel.Variant;
import java.util.List;

/**
 * Configuration of {@code hir pretrain}: multi-task instruction pretraining ("mini-FLAN") of a fresh
 * policy on generated examples of several task families, each with its own staircase curriculum over
 * its generator's difficulty levels (PILOT.md, part 2).
 *
 * @param seed base seed of the data streams
 * @param policy the trainable policy section (typically a fresh model)
 * @param generator the generator plugin; each family's generator is its {@code configFor(family)}
 * @param feedback judges probe and evaluation outputs
 * @param families the families and their sampling weights
 * @param steps optimizer steps in all
 * @param maxMinutes stop after this much wall time even if steps remain (0: no limit)
 * @param batchSize sequences per optimizer step
 * @param checkpointEvery save a snapshot every this many steps (snapshots are kept, so weaker or stronger
 *     starting points can be chosen later)
 * @param curriculum when a family moves to its next level
 * @param evaluation held-out accuracy on the real examples of each family
 * @param corpusExamples examples per family written to {@code corpus.txt} in the output folder before
 *     the policy is created (a policy plugin can train its tokenizer on it)
 * @param instructions prompt format, the same as {@code hir run}'s
 * @param computeThreads compute threads for the engines
 * @param wrongInstructionShare the share of examples shown under the wrong-answer instruction with a wrong
 *     answer, so the base learns to condition on the instruction as HIR needs (default 0)
 * @param wrongInstruction the wrong-answer instruction (default: the paper's)
 * @param wrongInstructionFromLevel a family's examples get the wrong-answer instruction only once the family's
 *     curriculum level is at least this; default 0 (from the start). 1 keeps a family's copy level free of
 *     wrong answers: asked under the wrong instruction before the model can find the right answer, an example
 *     only adds noise to its target (a 20% share delayed the option look-up of logical deduction further,
 *     docs/base-model.md)
 * @param wrongFreeFormAnswers whether free-form examples (counts, word lists) get that treatment too, with the
 *     answer of another example of the same level as the wrong answer; default false (multiple choice only)
 * @param answerLabelSlot with a policy that has a state head: label the end of each option line of a
 *     multiple-choice example with whether it is the answer, in this state component (one no family's own
 *     states use, e.g. 7 of the default 8); default -1 (off)
 */
public record PretrainConfig(
        Long seed,
        PluginSpec policy,
        PluginSpec generator,
        PluginSpec feedback,
        List<Family> families,
        Integer steps,
        Double maxMinutes,
        Integer batchSize,
        Integer checkpointEvery,
        Curriculum curriculum,
        Evaluation evaluation,
        Integer corpusExamples,
        RunConfig.Instructions instructions,
        Integer computeThreads,
        Double wrongInstructionShare,
        String wrongInstruction,
        Integer wrongInstructionFromLevel,
        Boolean wrongFreeFormAnswers,
        Integer answerLabelSlot) {

    public PretrainConfig {
        seed = seed == null ? 1L : seed;
        if (policy == null) {
            throw new InvalidInputException("policy", "missing: the policy to pretrain, e.g. {type: pytorch, init: {...}}");
        }
        generator = generator == null ? PluginSpec.of("bigbench-generators") : generator;
        feedback = feedback == null ? PluginSpec.of("exact-match") : feedback;
        if (families == null || families.isEmpty()) {
            throw new InvalidInputException("families", "missing: list the task families to pretrain on");
        }
        families = List.copyOf(families);
        steps = steps == null ? 10_000 : steps;
        maxMinutes = maxMinutes == null ? 0.0 : maxMinutes;
        batchSize = batchSize == null ? 32 : batchSize;
        checkpointEvery = checkpointEvery == null ? 500 : checkpointEvery;
        curriculum = curriculum == null ? new Curriculum(null, null, null, null, null, null, null) : curriculum;
        evaluation = evaluation == null ? new Evaluation(null, null, null, null, null) : evaluation;
        corpusExamples = corpusExamples == null ? 2000 : corpusExamples;
        instructions = instructions == null ? new RunConfig.Instructions(null, null, null) : instructions;
        computeThreads = computeThreads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : computeThreads;
        wrongInstructionShare = wrongInstructionShare == null ? 0.0 : wrongInstructionShare;
        wrongInstruction = wrongInstruction == null ? Variant.WRONG : wrongInstruction;
        wrongInstructionFromLevel = wrongInstructionFromLevel == null ? 0 : wrongInstructionFromLevel;
        wrongFreeFormAnswers = wrongFreeFormAnswers != null && wrongFreeFormAnswers;
        answerLabelSlot = answerLabelSlot == null ? -1 : answerLabelSlot;
        check(answerLabelSlot >= -1, "answer_label_slot", "must be >= 0 (or -1: off), got " + answerLabelSlot);
        check(wrongInstructionShare >= 0 && wrongInstructionShare < 1, "wrong_instruction_share",
                "must be in [0, 1), got " + wrongInstructionShare);
        check(wrongInstructionFromLevel >= 0, "wrong_instruction_from_level", "must be >= 0, got " + wrongInstructionFromLevel);
        check(steps >= 1, "steps", "must be >= 1, got " + steps);
        check(maxMinutes >= 0, "max_minutes", "must be >= 0, got " + maxMinutes);
        check(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        check(checkpointEvery >= 1, "checkpoint_every", "must be >= 1, got " + checkpointEvery);
        check(corpusExamples >= 0, "corpus_examples", "must be >= 0, got " + corpusExamples);
        check(computeThreads >= 1, "compute_threads", "must be >= 1, got " + computeThreads);
    }

    static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidInputException(field, message);
        }
    }

    /**
     * One family of the mixture.
     *
     * @param family the generator family, e.g. {@code tracking_shuffled_objects_three_objects}
     * @param weight its share of each batch, relative to the others
     * @param maxLevel the highest curriculum level (default: the generator's benchmark level)
     * @param advanceAfter this family's {@linkplain Curriculum#advanceAfter patience} in steps, 0 for none
     *     (default: the curriculum's); the tracking families climb their staircases slowly but surely and
     *     should not be hurried, while a family stuck at its copy level should
     */
    public record Family(String family, Double weight, Integer maxLevel, Integer advanceAfter) {
        public Family {
            if (family == null || family.isBlank()) {
                throw new InvalidInputException("family", "missing family name");
            }
            weight = weight == null ? 1.0 : weight;
            maxLevel = maxLevel == null ? -1 : maxLevel;
            check(weight > 0 && Double.isFinite(weight), "weight", "must be > 0, got " + weight);
            check(advanceAfter == null || advanceAfter >= 0, "advance_after", "must be >= 0 (0: never), got " + advanceAfter);
            advanceAfter = advanceAfter == null ? -1 : advanceAfter;
        }

        /** The steps without a passed probe after which this family moves up, 0 for never. */
        int patience(Curriculum curriculum) {
            return advanceAfter >= 0 ? advanceAfter : curriculum.advanceAfter();
        }
    }

    /**
     * The staircase: a family trains on its current level, with a share of each of its examples drawn from
     * earlier levels, and moves up when greedy accuracy on fresh examples of its level reaches a bar.
     *
     * @param advanceAt the accuracy that moves a family to its next level (PILOT.md: 0.9)
     * @param probeExamples fresh examples per probe
     * @param probeEvery steps between probes
     * @param earlierShare the share of a family's examples drawn from its earlier levels (PILOT.md: 0.4)
     * @param solvedWeight a curriculum over the families: a family whose last probe reached {@code advance_at}
     *     at its top level is <em>solved</em> and samples with its weight times this factor, so the examples it
     *     no longer needs go to the families still climbing; it is weighted in full again when a later probe
     *     falls below the bar. Default 1 (fixed weights). The tracking families learn on three objects first
     *     and carry it to five and seven (docs/base-model.md), so their weights should not be cut up front.
     * @param solvedLeaveAt the accuracy below which a solved family's probe returns it to its full weight;
     *     default {@code advance_at}. A lower bar keeps a family that passed once in the solved set through
     *     the noise of small probes (32 examples at a 0.9 bar moved TSO-3 in and out of it 35 times in 80
     *     probes, docs/base-model.md)
     * @param advanceAfter patience: a family that has spent this many steps at a level without passing its
     *     probe moves up anyway, at its next probe; default 0 (never); a family can set its own. A family whose
     *     copy level needs a skill the model does not learn in the budget otherwise never sees the kinds of
     *     question its benchmark asks: colored objects held at level 0 stayed at 0.20-0.24 on the real
     *     examples, and reached 0.33 within 500 steps once moved to its benchmark level (docs/base-model.md)
     */
    public record Curriculum(Double advanceAt, Integer probeExamples, Integer probeEvery, Double earlierShare,
            Double solvedWeight, Double solvedLeaveAt, Integer advanceAfter) {
        public Curriculum {
            advanceAt = advanceAt == null ? 0.9 : advanceAt;
            probeExamples = probeExamples == null ? 64 : probeExamples;
            probeEvery = probeEvery == null ? 100 : probeEvery;
            earlierShare = earlierShare == null ? 0.4 : earlierShare;
            solvedWeight = solvedWeight == null ? 1.0 : solvedWeight;
            check(solvedWeight > 0 && solvedWeight <= 1, "solved_weight", "must be in (0, 1], got " + solvedWeight);
            check(advanceAt > 0 && advanceAt <= 1, "advance_at", "must be in (0, 1], got " + advanceAt);
            check(probeExamples >= 1, "probe_examples", "must be >= 1, got " + probeExamples);
            check(probeEvery >= 1, "probe_every", "must be >= 1, got " + probeEvery);
            check(earlierShare >= 0 && earlierShare < 1, "earlier_share", "must be in [0, 1), got " + earlierShare);
            solvedLeaveAt = solvedLeaveAt == null ? advanceAt : solvedLeaveAt;
            check(solvedLeaveAt > 0 && solvedLeaveAt <= advanceAt, "solved_leave_at",
                    "must be in (0, advance_at = " + advanceAt + "], got " + solvedLeaveAt);
            advanceAfter = advanceAfter == null ? 0 : advanceAfter;
            check(advanceAfter >= 0, "advance_after", "must be >= 0 (0: never), got " + advanceAfter);
        }

        /**
         * Whether a family is solved after a probe: it passed at its top level, or it was solved and its
         * accuracy stayed at or above {@link #solvedLeaveAt}.
         */
        boolean solvedAfterProbe(boolean wasSolved, boolean atTopLevel, double accuracy) {
            return atTopLevel && (accuracy >= advanceAt || wasSolved && accuracy >= solvedLeaveAt);
        }
    }

    /**
     * Accuracy on the real examples of each family.
     *
     * @param loader the task loader that knows the families by name (its {@code knownTasks})
     * @param every steps between evaluations (and at the end)
     * @param limit examples per family (0: all)
     * @param maxNewTokens longest greedy output
     * @param batchSize prompts per generation call
     */
    public record Evaluation(String loader, Integer every, Integer limit, Integer maxNewTokens, Integer batchSize) {
        public Evaluation {
            loader = loader == null ? "bigbench-hard" : loader;
            every = every == null ? 500 : every;
            limit = limit == null ? 0 : limit;
            maxNewTokens = maxNewTokens == null ? 32 : maxNewTokens;
            batchSize = batchSize == null ? 32 : batchSize;
            check(every >= 1, "every", "must be >= 1, got " + every);
            check(limit >= 0, "limit", "must be >= 0, got " + limit);
            check(maxNewTokens >= 1, "max_new_tokens", "must be >= 1, got " + maxNewTokens);
            check(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        }
    }
}
