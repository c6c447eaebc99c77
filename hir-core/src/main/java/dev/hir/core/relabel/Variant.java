package dev.hir.core.relabel;

import java.util.Locale;

/**
 * Which source a relabeling strategy follows where the paper and its reference code differ
 * (PAPER.md §4 and §8): the instruction strings and, for sub-output relabeling, the cut rule.
 */
public enum Variant {
    /**
     * The paper: one "correct" string used both to sample, to evaluate and to label correct outputs
     * ({@value #PAPER_CORRECT}).
     */
    PAPER,
    /**
     * The reference code: correct outputs are labeled {@value #REFERENCE_CORRECT} (without "the"),
     * while sampling, evaluation and the contrast of wrong outputs use {@value #PAPER_CORRECT}.
     */
    REFERENCE;

    /** The paper's "correct" instruction, also the reference code's sampling and evaluation instruction. */
    public static final String PAPER_CORRECT = "Solve the question with correct answer.";
    /** The "wrong" instruction of both the paper and the reference code. */
    public static final String WRONG = "Solve the question with wrong answer.";
    /** The string the reference code supervises correct outputs under (verifier.py: no "the"). */
    public static final String REFERENCE_CORRECT = "Solve question with correct answer.";

    String defaultCorrectInstruction() {
        return this == PAPER ? PAPER_CORRECT : REFERENCE_CORRECT;
    }

    /** The "correct" instruction wrong outputs are contrasted with, when the user names none. */
    String defaultCorrectContrast(String correctInstruction) {
        // The paper has one "correct" string; the reference code contrasts with the evaluation string.
        return this == PAPER ? correctInstruction : PAPER_CORRECT;
    }

    /** The reference code keeps one copy of identical samples (online_sampler.py dedups with set()). */
    CountHandling defaultCountHandling() {
        return this == PAPER ? CountHandling.WEIGHT : CountHandling.ONCE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
