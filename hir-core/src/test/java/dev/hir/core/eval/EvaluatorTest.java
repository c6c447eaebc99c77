package dev.hir.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.hir.api.Example;
import dev.hir.api.Policy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** A policy whose tokens are the words of a text. */
    private static Policy wordTokens() {
        Policy policy = mock(Policy.class);
        when(policy.tokenPieces(anyString())).thenAnswer(call -> Arrays.asList(((String) call.getArgument(0)).split("(?<= )")));
        return policy;
    }

    @Test
    void referencesLongerThanTheOutputLimitAreCountedWithTheLongest() {
        List<Example> examples = List.of(
                Example.of("a", "sort: x y", "x y"),
                Example.of("b", "sort: c b a d", "a b c d"),
                Example.of("c", "sort: e f g", "e f g"));
        assertEquals("2 of 3 reference answers are longer than max_new_tokens 2 (the longest takes 4 tokens): their"
                + " outputs are cut before they can match", Evaluator.referencesLongerThan(wordTokens(), examples, 2).orElseThrow());
    }

    @Test
    void noWarningWhenEveryReferenceFits() {
        List<Example> examples = List.of(Example.of("a", "q", "(A)"), Example.of("b", "q", "one two three"));
        assertTrue(Evaluator.referencesLongerThan(wordTokens(), examples, 3).isEmpty());
    }
}
