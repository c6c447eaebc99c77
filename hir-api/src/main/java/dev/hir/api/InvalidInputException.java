package dev.hir.api;

import java.util.Objects;

/**
 * A user mistake: a malformed file, an unknown plugin name, an invalid configuration value.
 *
 * <p>Plugins throw it when input they were given cannot be used. The message must be one line that says
 * what is wrong; {@link #source()} names where (a file path, {@code file:line}, or a configuration field
 * path such as {@code policy.temperature}). The CLI prints {@code source: message} and exits with
 * status 2, without a stack trace.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * @param source where the mistake is: a file, {@code file:line} or a configuration field path
     * @param message what is wrong, one line
     */
    public InvalidInputException(String source, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * @param source where the mistake is
     * @param message what is wrong, one line
     * @param cause the underlying failure, kept for {@code --debug}
     */
    public InvalidInputException(String source, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Where the mistake is: a file, {@code file:line}, or a configuration field path. */
    public String source() {
        return source;
    }

    /** {@code source: message}, the one line the CLI prints. */
    public String oneLine() {
        return source + ": " + getMessage();
    }
}
