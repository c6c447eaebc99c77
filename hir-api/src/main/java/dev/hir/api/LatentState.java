package dev.hir.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a generator knows about the world of an example after one reasoning step, tied to the span of the
 * input that describes that step (e.g. who holds which ball after the swap sentence {@code [start, end)}).
 * Used for dense supervision and curricula; real data carries none.
 *
 * @param start first character of the span in {@link Example#input()} (inclusive)
 * @param end last character of the span (exclusive), {@code start <= end}
 * @param values the state as named values, e.g. {@code {"Alice": "pink ball", "Bob": "red ball"}}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LatentState(int start, int end, Map<String, String> values) {
    public LatentState {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
        values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }
}
