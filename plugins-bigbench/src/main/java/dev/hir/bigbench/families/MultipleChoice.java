package dev.hir.bigbench.families;

import dev.hir.api.Example;
import dev.hir.api.LatentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rendering and parsing of the BBH multiple-choice surface: a stem, {@code "Options:"}, then {@code "(A) …"} lines. */
final class MultipleChoice {

    private static final String OPTIONS_HEADER = "\nOptions:\n";

    private MultipleChoice() {}

    /** A parsed multiple-choice input: the text before {@code Options:} and the option texts in letter order. */
    record Parsed(String stem, List<String> options) {
        Parsed {
            options = List.copyOf(options);
        }

        /** The letter index of the option whose text equals {@code text}, if any. */
        Optional<Integer> indexOf(String text) {
            int i = options.indexOf(text);
            return i < 0 ? Optional.empty() : Optional.of(i);
        }
    }

    static String letter(int index) {
        return "(" + (char) ('A' + index) + ")";
    }

    /** The letter index of a target such as {@code "(C)"}. */
    static int index(String target) {
        if (!target.matches("\\([A-Z]\\)")) {
            throw new IllegalArgumentException("not a letter target: " + target);
        }
        return target.charAt(1) - 'A';
    }

    static String render(String stem, List<String> options) {
        var sb = new StringBuilder(stem).append(OPTIONS_HEADER);
        for (int i = 0; i < options.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(letter(i)).append(' ').append(options.get(i));
        }
        return sb.toString();
    }

    static Optional<Parsed> parse(String input) {
        int at = input.indexOf(OPTIONS_HEADER);
        if (at < 0) {
            return Optional.empty();
        }
        String stem = input.substring(0, at);
        List<String> options = new ArrayList<>();
        String[] lines = input.substring(at + OPTIONS_HEADER.length()).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String prefix = letter(i) + " ";
            if (!lines[i].startsWith(prefix)) {
                return Optional.empty();
            }
            options.add(lines[i].substring(prefix.length()));
        }
        return Optional.of(new Parsed(stem, options));
    }

    /** Builds a generated multiple-choice example; the id is derived from the input so equal examples share it. */
    static Example example(
            String family, int level, String stem, List<String> options, int answer, List<LatentState> states) {
        if (answer < 0 || answer >= options.size()) {
            throw new IllegalArgumentException("answer " + answer + " outside " + options.size() + " options");
        }
        String input = render(stem, options);
        String id = family + "/generated/" + level + "/" + Integer.toHexString(input.hashCode());
        return new Example(
                id,
                input,
                letter(answer),
                options,
                Map.of("family", family, "level", Integer.toString(level), "source", "generator"),
                states);
    }

    static void checkLevel(int level, int levels) {
        if (level < 0 || level >= levels) {
            throw new IllegalArgumentException("level " + level + " is outside 0.." + (levels - 1));
        }
    }
}
