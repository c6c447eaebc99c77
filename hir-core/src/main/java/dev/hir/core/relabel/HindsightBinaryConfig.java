package dev.hir.core.relabel;

/**
 * Configuration of {@code hindsight-binary}. Every key is optional.
 *
 * <pre>
 * relabeling:
 *   - type: hindsight-binary
 *     variant: paper            # or reference: the reference code's strings and deduplication
 *     correct_instruction: ...  # label of correct outputs
 *     wrong_instruction: ...    # label of wrong outputs
 *     correct_contrast_instruction: ...  # what wrong outputs are contrasted with
 *     count_as: weight          # weight | repeat | once
 *     malformed: wrong          # wrong | skip
 * </pre>
 *
 * @param variant {@code paper} (default): correct outputs are labeled "Solve the question with correct
 *     answer.", the sampling and evaluation string; {@code reference}: they are labeled "Solve question with
 *     correct answer." (no "the") as in the reference code's verifier.py, while wrong outputs are still
 *     contrasted with the evaluation string (PAPER.md §8 item 3)
 * @param correctInstruction overrides the variant's label of correct outputs
 * @param wrongInstruction overrides the label of wrong outputs (default "Solve the question with wrong
 *     answer."), which is also the contrast of correct outputs
 * @param correctContrastInstruction overrides the contrast of wrong outputs (default: the correct label
 *     for {@code paper}, "Solve the question with correct answer." for {@code reference})
 * @param countAs how a deduplicated episode's count is honoured (default {@code weight} for {@code paper},
 *     {@code once} for {@code reference}, which drops duplicates)
 * @param malformed what happens to malformed outputs (default {@code wrong})
 */
public record HindsightBinaryConfig(
        Variant variant,
        String correctInstruction,
        String wrongInstruction,
        String correctContrastInstruction,
        CountHandling countAs,
        MalformedHandling malformed) {

    public HindsightBinaryConfig {
        variant = variant == null ? Variant.PAPER : variant;
        var resolved = BinaryInstructions.resolve(variant, correctInstruction, wrongInstruction, correctContrastInstruction);
        correctInstruction = resolved.correct();
        wrongInstruction = resolved.wrong();
        correctContrastInstruction = resolved.correctContrast();
        countAs = countAs == null ? variant.defaultCountHandling() : countAs;
        malformed = malformed == null ? MalformedHandling.WRONG : malformed;
    }

    /** The defaults: the paper's strings. */
    public static HindsightBinaryConfig defaults() {
        return new HindsightBinaryConfig(null, null, null, null, null, null);
    }

    BinaryInstructions instructions() {
        return new BinaryInstructions(correctInstruction, wrongInstruction, correctContrastInstruction);
    }
}
