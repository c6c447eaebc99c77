package dev.hir.feedback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prefix contract on outputs nobody wrote by hand: random edits of correct outputs (spaces, periods,
 * line breaks, case flips, deletions, stray characters); whenever an edit is still judged correct, every
 * prefix of it must pass the prefix check.
 */
class PrefixContractFuzzTest {
    private static final String STRAY = " .\n\t-()aBΣσς0İ,";

    record Case(String name, FeedbackFunction function, Example example, List<String> seeds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        var ctx = TestingPluginContext.create();
        var books = new Example("b", "q", "(B)", List.of("Ulysses", "Frankenstein", "Lolita"), Map.of(), List.of());
        var exact = new ExactMatchFactory().create(ExactMatchConfig.defaults(), ctx);
        var sampler = new ExactMatchFactory().create(new ExactMatchConfig(null, false, null), ctx);
        var trim = new ExactMatchFactory().create(new ExactMatchConfig("trim", null, null), ctx);
        var choice = new MultipleChoiceFactory().create(MultipleChoiceConfig.defaults(), ctx);
        var number = new NumericFactory().create(NumericConfig.defaults(), ctx);
        var words = new WordListFactory().create(WordListConfig.defaults(), ctx);
        return Stream.of(
                new Case("exact-match (B)", exact, books, List.of("(B)")),
                new Case("exact-match words", exact, Example.of("w", "q", "apple banana cherry"),
                        List.of("apple banana cherry")),
                new Case("exact-match greek", exact, Example.of("g", "q", "ασα οδος"), List.of("ΑΣΑΟΔΟΣ", "ασαοδος")),
                new Case("exact-match sampler rule", sampler, Example.of("w", "q", "a b.c"), List.of("a b.c")),
                new Case("exact-match trim", trim, Example.of("t", "q", "Apple b"), List.of("apple B")),
                new Case("multiple-choice", choice, books, List.of("(B)", "(B) Frankenstein", "Frankenstein", "b")),
                new Case("multiple-choice without options", choice, Example.of("n", "q", "(C)"), List.of("(C) x", "C")),
                new Case("numeric 8", number, Example.of("8", "q", "8"), List.of("8", "eight", "8.0", "+08")),
                new Case("numeric -1205", number, Example.of("m", "q", "-1205"),
                        List.of("-1,205", "minus one thousand two hundred and five", "negative one thousand two hundred five")),
                new Case("numeric 2.5", number, Example.of("f", "q", "2.5"), List.of("2.50", "02.5")),
                new Case("word-list", words, Example.of("w", "q", "apple banana cherry"), List.of("apple banana cherry")),
                new Case("word-list dots", words, Example.of("d", "q", "etc. and so on."), List.of("etc. and so on")))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyPrefixOfEveryCorrectRandomEditIsAccepted(Case c) {
        var random = new Random(c.name().hashCode());
        var pf = (PrefixFeedback) c.function();
        int correct = 0;
        for (int trial = 0; trial < 1500; trial++) {
            String output = c.seeds().get(random.nextInt(c.seeds().size()));
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                output = edit(output, random);
            }
            if (!c.function().evaluate(c.example(), output).isCorrect()) {
                continue;
            }
            correct++;
            for (int i = 0; i <= output.length(); i++) {
                String prefix = output.substring(0, i);
                String whole = output;
                assertTrue(pf.isPrefixOfCorrect(c.example(), prefix),
                        () -> c + ": prefix '" + prefix + "' of correct '" + whole + "' rejected");
            }
        }
        int found = correct;
        assertTrue(found >= 50, () -> c + ": only " + found + " correct edits; the fuzzing is too weak");
    }

    private static String edit(String s, Random random) {
        int at = random.nextInt(s.length() + 1);
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                char c = STRAY.charAt(random.nextInt(STRAY.length()));
                return s.substring(0, at) + c + s.substring(at);
            }
            case 2 -> {
                if (at == s.length()) {
                    return s;
                }
                char c = s.charAt(at);
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                return s.substring(0, at) + flipped + s.substring(at + 1);
            }
            case 3 -> {
                return at == s.length() ? s : s.substring(0, at) + s.substring(at + 1);
            }
            default -> {
                return random.nextBoolean() ? " " + s : s + (random.nextBoolean() ? "." : " ");
            }
        }
    }
}
