package dev.hir.core.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hir.api.Example;
import dev.hir.api.LatentState;
import dev.hir.api.StateLabel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateLabelsTest {

    private static final String TRACKING = "Alice, Bob, and Claire are friends: Alice has a red ball, Bob has a "
            + "blue ball, and Claire has a green ball. First, Alice and Claire swap balls.";

    private static Example tracking() {
        int intro = TRACKING.indexOf(" First");
        return new Example("t", TRACKING, "(C)", List.of("red ball", "blue ball", "green ball"), Map.of(), List.of(
                new LatentState(0, intro, Map.of("Claire", "green ball", "Bob", "blue ball", "Alice", "red ball")),
                new LatentState(intro + 1, TRACKING.length() - 1,
                        Map.of("Claire", "red ball", "Bob", "blue ball", "Alice", "green ball"))));
    }

    @Test
    void peopleAreSlotsInTheOrderTheTextIntroducesThemAndObjectsAreTheirOptionIndex() {
        List<StateLabel> labels = StateLabels.of(tracking(), 10, 63);
        int intro = TRACKING.indexOf(" First");
        assertEquals(List.of(
                new StateLabel(10 + intro - 1, 0, 0), new StateLabel(10 + intro - 1, 1, 1), new StateLabel(10 + intro - 1, 2, 2),
                new StateLabel(10 + TRACKING.length() - 2, 0, 2), new StateLabel(10 + TRACKING.length() - 2, 1, 1),
                new StateLabel(10 + TRACKING.length() - 2, 2, 0)), labels);
    }

    @Test
    void countsAreTheirOwnClassKeysTheTextNeverNamesComeAlphabeticallyAndFreeTextGetsNoLabel() {
        String input = "I have two apples and a dog. How many fruits do I have?";
        Example e = new Example("c", input, "2", List.of(), Map.of(), List.of(new LatentState(7, 17,
                Map.of("item", "apple", "quantity", "2", "counted", "yes", "running count", "2"))));
        // counted (yes -> 1), item (free text: none), quantity, running count.
        assertEquals(List.of(new StateLabel(16, 0, 1), new StateLabel(16, 2, 2), new StateLabel(16, 3, 2)),
                StateLabels.of(e, 0, 63));
        assertEquals(List.of(new StateLabel(16, 0, 1)), StateLabels.of(e, 0, 1));
    }

    @Test
    void examplesWithoutStatesOrAnInputOutsideThePromptGetNone() {
        assertEquals(List.of(), StateLabels.of(Example.of("x", "q", "a"), 0, 63));
        assertEquals(List.of(), StateLabels.of(tracking(), -1, 63));
    }
}
