package dev.hir.bigbench.generate;

import dev.hir.api.LatentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A text under construction that records latent states against the spans they describe. */
final class SpanText {
    private final StringBuilder text = new StringBuilder();
    private final List<LatentState> states = new ArrayList<>();

    SpanText append(String s) {
        text.append(s);
        return this;
    }

    /** Appends a sentence and records the state that holds once it has been read. */
    SpanText appendWithState(String sentence, Map<String, String> state) {
        int start = text.length();
        text.append(sentence);
        states.add(new LatentState(start, text.length(), state));
        return this;
    }

    int length() {
        return text.length();
    }

    String text() {
        return text.toString();
    }

    List<LatentState> states() {
        return List.copyOf(states);
    }
}
