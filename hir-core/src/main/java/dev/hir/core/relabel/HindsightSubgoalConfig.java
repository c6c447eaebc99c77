package dev.hir.core.relabel;

/**
 * Configuration of {@code hindsight-subgoal}. Every key is optional.
 *
 * <pre>
 * relabeling:
 *   - type: hindsight-subgoal
 *     variant: paper        # or reference: the reference code's cut rule, strings and deduplication
 *     cut_range: decisive   # paper variant only: decisive | anywhere
 *     correct_instruction: ...
 *     wrong_instruction: ...
 *     correct_contrast_instruction: ...
 *     count_as: weight      # weight | repeat (one independent cut per copy) | once
 *     malformed: wrong      # wrong | skip
 * </pre>
 *
 * @param variant {@code paper} (default) or {@code reference}; see {@link HindsightSubgoalFactory} for
 *     the two cut rules. It also picks the default instruction strings, as in {@link HindsightBinaryConfig}
 * @param cutRange where the paper variant may cut wrong outputs (default {@code decisive}); ignored by
 *     the reference variant
 * @param correctInstruction overrides the variant's label of correct outputs
 * @param wrongInstruction overrides the label of wrong outputs
 * @param correctContrastInstruction overrides the contrast of wrong outputs, which is also the label a
 *     wrong output's matching beginning is flipped to by the reference rule
 * @param countAs how a deduplicated episode's count is honoured (default {@code weight} for {@code paper},
 *     {@code once} for {@code reference})
 * @param malformed what happens to malformed outputs (default {@code wrong})
 */
public record HindsightSubgoalConfig(
        Variant variant,
        CutRange cutRange,
        String correctInstruction,
        String wrongInstruction,
        String correctContrastInstruction,
        CountHandling countAs,
        MalformedHandling malformed) {

    public HindsightSubgoalConfig {
        variant = variant == null ? Variant.PAPER : variant;
        cutRange = cutRange == null ? CutRange.DECISIVE : cutRange;
        var resolved = BinaryInstructions.resolve(variant, correctInstruction, wrongInstruction, correctContrastInstruction);
        correctInstruction = resolved.correct();
        wrongInstruction = resolved.wrong();
        correctContrastInstruction = resolved.correctContrast();
        countAs = countAs == null ? variant.defaultCountHandling() : countAs;
        malformed = malformed == null ? MalformedHandling.WRONG : malformed;
    }

    /** The defaults: the paper variant. */
    public static HindsightSubgoalConfig defaults() {
        return new HindsightSubgoalConfig(null, null, null, null, null, null, null);
    }

    /** The reference code's variant with its defaults. */
    public static HindsightSubgoalConfig reference() {
        return new HindsightSubgoalConfig(Variant.REFERENCE, null, null, null, null, null, null);
    }

    BinaryInstructions instructions() {
        return new BinaryInstructions(correctInstruction, wrongInstruction, correctContrastInstruction);
    }
}
