package dev.hir.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One task instance: a query with its gold answer.
 *
 * @param id a stable identifier, unique within its task (e.g. {@code "bbh/date_understanding/17"})
 * @param input the query text as the model sees it after the instruction, already rendered by the loader
 *     (for multiple choice: the question followed by {@code "Options:"} and {@code "(A) …"} lines)
 * @param target the gold answer, e.g. {@code "(B)"} or {@code "7"}
 * @param options the option texts for multiple-choice examples, in letter order; empty otherwise
 * @param metadata free-form string facts about the example (source file, family, difficulty level …)
 * @param states latent states a generator knows, each tied to a character span of {@link #input()};
 *     empty for real data
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Example(
        String id,
        String input,
        String target,
        List<String> options,
        Map<String, String> metadata,
        List<LatentState> states) {

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        options = List.copyOf(options);
        metadata = Map.copyOf(metadata);
        states = List.copyOf(states);
        for (LatentState s : states) {
            if (s.end() > input.length()) {
                throw new IllegalArgumentException(
                        "latent state span " + s.start() + ".." + s.end() + " is past the input's end " + input.length());
            }
        }
    }

    /** An example without options, metadata or latent states. */
    public static Example of(String id, String input, String target) {
        return new Example(id, input, target, List.of(), Map.of(), List.of());
    }

    /** Whether this is a multiple-choice example. */
    public boolean isMultipleChoice() {
        return !options.isEmpty();
    }

    /**
     * The index into {@link #options} of the gold answer, for a multiple-choice example whose target is an
     * option letter in parentheses ({@code "(B)"} is 1, surrounding blanks ignored); empty for a free-form
     * example or another target.
     */
    public OptionalInt goldOptionIndex() {
        String t = target.trim();
        if (options.isEmpty() || t.length() != 3 || t.charAt(0) != '(' || t.charAt(2) != ')') {
            return OptionalInt.empty();
        }
        int index = t.charAt(1) - 'A';
        return index >= 0 && index < options.size() ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** A copy with one more metadata entry (replacing an existing key). */
    public Example withMetadata(String key, String value) {
        var m = new java.util.LinkedHashMap<>(metadata);
        m.put(key, value);
        return new Example(id, input, target, options, m, states);
    }
}
