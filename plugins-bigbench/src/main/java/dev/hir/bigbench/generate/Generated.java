package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import java.util.List;
import java.util.Map;

/** How generated examples are named and labeled. */
final class Generated {
    private Generated() {}

    static Example example(String family, int level, String scenario, SpanText text, String target,
            List<String> options) {
        String input = text.text();
        // The id is a function of the content, so equal examples get equal ids.
        String id = "gen/" + family + "/" + level + "/" + String.format("%08x", input.hashCode());
        return new Example(id, input, target, options,
                Map.of("family", family, "level", Integer.toString(level), "scenario", scenario, "source", "generator"),
                text.states());
    }
}
