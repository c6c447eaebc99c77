package dev.hir.core.relabel;

import dev.hir.api.InvalidInputException;
import java.util.List;

/**
 * The hindsight instructions of the two-instruction scheme, resolved from a variant and the user's
 * overrides.
 *
 * @param correct the label of correct outputs
 * @param wrong the label of wrong outputs, and the contrast of correct ones
 * @param correctContrast the contrast of wrong outputs (and their label after a sub-output flip)
 */
record BinaryInstructions(String correct, String wrong, String correctContrast) {

    BinaryInstructions {
        requireText(correct, "correct_instruction");
        requireText(wrong, "wrong_instruction");
        requireText(correctContrast, "correct_contrast_instruction");
        if (wrong.equals(correct)) {
            throw new InvalidInputException("wrong_instruction", "must differ from correct_instruction, both are '" + wrong + "'");
        }
        if (wrong.equals(correctContrast)) {
            throw new InvalidInputException("wrong_instruction",
                    "must differ from correct_contrast_instruction, both are '" + wrong + "'");
        }
    }

    /** Fills absent strings with the variant's defaults. */
    static BinaryInstructions resolve(Variant variant, String correct, String wrong, String correctContrast) {
        String c = correct == null ? variant.defaultCorrectInstruction() : correct;
        return new BinaryInstructions(c, wrong == null ? Variant.WRONG : wrong,
                correctContrast == null ? variant.defaultCorrectContrast(c) : correctContrast);
    }

    /** The label and its contrast for an output judged correct or not. */
    Labels labelsFor(boolean outputCorrect) {
        return outputCorrect ? new Labels(correct, wrong) : new Labels(wrong, correctContrast);
    }

    private static void requireText(String value, String field) {
        if (value.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
    }

    /**
     * The instruction a (sub-)output is trained under and the one it is contrasted with.
     *
     * @param instruction the hindsight label
     * @param contrast the opposite instruction
     */
    record Labels(String instruction, String contrast) {
        /** The pair with the roles exchanged, as the reference code's sub-output flip does. */
        Labels swapped() {
            return new Labels(contrast, instruction);
        }

        List<String> contrasts() {
            return List.of(contrast);
        }
    }
}
