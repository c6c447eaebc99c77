package dev.hir.pytorch;

import dev.hir.api.InvalidInputException;
import java.util.Locale;

/** What the policy does with a prompt longer than the model's context allows. */
public enum ContextOverflow {
    /** Keep the prompt's last tokens and log a warning. */
    TRUNCATE_LEFT,
    /** Fail with an {@link InvalidInputException}. */
    ERROR;

    /** The configuration spelling: {@code truncate-left} or {@code error}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the configuration spelling. */
    static ContextOverflow fromConfigName(String field, String name) {
        for (ContextOverflow c : values()) {
            if (c.configName().equals(name)) {
                return c;
            }
        }
        throw new InvalidInputException(field, "must be 'truncate-left' or 'error', got '" + name + "'");
    }
}
