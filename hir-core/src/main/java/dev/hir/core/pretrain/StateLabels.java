package dev.hir.core.pretrain;

import dev.hir.api.Example;
import dev.hir.api.LatentState;
import dev.hir.api.StateLabel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a generated example's latent states into {@link StateLabel}s, with one rule for every family so
 * that a family's generator needs to know nothing about the policy's state head.
 *
 * <ul>
 *   <li>Slots: the state's keys in the order they first appear in the input (the people of a tracking
 *       puzzle in the order the puzzle introduces them), then the keys the input never names (e.g.
 *       "running count") in alphabetical order.</li>
 *   <li>Values: an option's text becomes its index (the object Alice holds becomes the index of the
 *       person who held it first, because options list the objects in that order: the representation of
 *       PILOT.md part 2); a whole number {@code >= 0} is itself; "yes"/"no" are 1/0. Other values (free
 *       text such as a roster) get no label.</li>
 *   <li>Position: the last character of the span the state belongs to.</li>
 * </ul>
 */
final class StateLabels {

    private StateLabels() {}

    /**
     * The labels of an example whose input starts at {@code inputOffset} of the prompt.
     *
     * @param maxValue values above this are dropped (a count of 40 would need a class of its own)
     */
    static List<StateLabel> of(Example e, int inputOffset, int maxValue) {
        if (e.states().isEmpty() || inputOffset < 0) {
            return List.of();
        }
        List<StateLabel> labels = new ArrayList<>();
        for (LatentState s : e.states()) {
            if (s.end() == s.start()) {
                continue;
            }
            List<String> keys = slotOrder(s.values(), e.input());
            for (int slot = 0; slot < keys.size(); slot++) {
                int value = valueOf(s.values().get(keys.get(slot)), e.options());
                if (value >= 0 && value <= maxValue) {
                    labels.add(new StateLabel(inputOffset + s.end() - 1, slot, value));
                }
            }
        }
        return labels;
    }

    /**
     * Labels that tell, at the last character of each option line of a multiple-choice input, whether that
     * option is the answer (1) or not (0), in component {@code slot}: a dense target for the step several
     * families cannot learn from the answer alone, finding the option that names what the text names
     * (docs/base-model.md). None for free-form examples or an input whose options are not listed as
     * {@code (A) text} lines after its last {@code Options:}.
     */
    static List<StateLabel> answers(Example e, int inputOffset, int slot) {
        if (e.goldOptionIndex().isEmpty() || inputOffset < 0) {
            return List.of();
        }
        int gold = e.goldOptionIndex().getAsInt();
        String input = e.input();
        int from = input.lastIndexOf("Options:");
        if (from < 0) {
            return List.of();
        }
        List<StateLabel> labels = new ArrayList<>();
        for (int i = 0; i < e.options().size(); i++) {
            String line = "\n(" + (char) ('A' + i) + ") " + e.options().get(i);
            int at = input.indexOf(line, from);
            if (at < 0) {
                return List.of();
            }
            from = at + line.length();
            labels.add(new StateLabel(inputOffset + from - 1, slot, i == gold ? 1 : 0));
        }
        return labels;
    }

    static List<String> slotOrder(Map<String, String> values, String input) {
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(Comparator.<String>comparingInt(k -> {
            int at = input.indexOf(k);
            return at < 0 ? Integer.MAX_VALUE : at;
        }).thenComparing(Comparator.naturalOrder()));
        return keys;
    }

    /** The class of a value, or -1 when it has none. */
    static int valueOf(String value, List<String> options) {
        String v = value.trim();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).trim().equalsIgnoreCase(v)) {
                return i;
            }
        }
        if (!v.isEmpty() && v.length() < 6 && v.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(v);
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> 1;
            case "no" -> 0;
            default -> -1;
        };
    }
}
