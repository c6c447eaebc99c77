package dev.hir.feedback;

/**
 * Configuration of {@code multiple-choice}.
 *
 * @param acceptOptionText whether an output that gives the option's text instead of its letter counts
 *     as that option (default {@code true})
 * @param optionsFromInput whether, for an example without {@link dev.hir.api.Example#options()}, the
 *     {@code "(A) …"} lines after the input's last {@code "Options:"} line are read as its options
 *     (default {@code true}); without options any letter is a well-formed answer
 */
public record MultipleChoiceConfig(Boolean acceptOptionText, Boolean optionsFromInput) {

    public MultipleChoiceConfig {
        acceptOptionText = acceptOptionText == null || acceptOptionText;
        optionsFromInput = optionsFromInput == null || optionsFromInput;
    }

    /** The defaults. */
    public static MultipleChoiceConfig defaults() {
        return new MultipleChoiceConfig(null, null);
    }
}
