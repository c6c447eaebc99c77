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

    @Test
    void eachOptionLineEndsWithWhetherItIsTheAnswer() {
        String input = "Eve finished first.\nOptions:\n(A) Ana finished first\n(B) Eve finished first\n(C) Rob finished first";
        Example e = new Example("l", input, "(B)",
                List.of("Ana finished first", "Eve finished first", "Rob finished first"), Map.of(), List.of());
        int b = input.indexOf("(B)");
        assertEquals(List.of(new StateLabel(5 + b - 2, 7, 0), new StateLabel(5 + input.indexOf("(C)") - 2, 7, 1),
                new StateLabel(5 + input.length() - 1, 7, 0)), StateLabels.answers(e, 5, 7));
        assertEquals('t', input.charAt(b - 2), "the last character of option (A)");
    }

    @Test
    void freeFormExamplesAndUnlistedOptionsGetNoAnswerLabels() {
        assertEquals(List.of(), StateLabels.answers(Example.of("x", "How many?", "3"), 0, 7));
        Example unlisted = new Example("u", "Pick one: a or b", "(A)", List.of("a", "b"), Map.of(), List.of());
        assertEquals(List.of(), StateLabels.answers(unlisted, 0, 7));
    }
}
