package dev.hir.pytorch.model;

import dev.hir.api.InvalidInputException;

/**
 * The MLP activation of a GPT-2 model: Hugging Face's {@code activation_function} values that this
 * implementation computes.
 */
public enum Activation {
    /**
     * GPT-2's own tanh approximation, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) ({@code gelu_new}, also
     * read from {@code gelu_pytorch_tanh}, the same function). Seven operations here: DJL binds no one-op form.
     */
    GELU_NEW("gelu_new"),
    /**
     * The exact GELU, x Φ(x) = 0.5 x (1 + erf(x / sqrt 2)) ({@code gelu}): one libtorch operation. It differs from
     * {@code gelu_new} by up to about 1e-3, so a model trained with one must run with the same.
     */
    GELU("gelu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** The {@code activation_function} value written to {@code config.json}. */
    public String configName() {
        return configName;
    }

    /**
     * The activation a {@code config.json} value names.
     *
     * @param source names the file or field, for the error
     * @throws InvalidInputException for a value this implementation does not compute
     */
    public static Activation fromConfigName(String name, String source) {
        return switch (name) {
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_NEW;
            case "gelu" -> GELU;
            default -> throw new InvalidInputException(source,
                    "activation_function '" + name + "' is not supported (gelu_new, gelu_pytorch_tanh or gelu)");
        };
    }
}
