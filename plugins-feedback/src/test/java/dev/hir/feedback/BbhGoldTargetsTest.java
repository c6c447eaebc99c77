package dev.hir.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.Feedback.Verdict;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real BIG-Bench-Hard gold target of the 12 HIR tasks scores 1 under its task's feedback and under
 * exact match, every prefix of it passes the prefix check, and perturbed answers score 0 (word lists: less
 * than 1). The files are read from {@code bbh.dir}, never copied into the repository.
 */
class BbhGoldTargetsTest {
    private static final List<String> MULTIPLE_CHOICE = List.of("date_understanding", "geometric_shapes",
            "logical_deduction_three_objects", "logical_deduction_five_objects", "logical_deduction_seven_objects",
            "penguins_in_a_table", "reasoning_about_colored_objects", "tracking_shuffled_objects_three_objects",
            "tracking_shuffled_objects_five_objects", "tracking_shuffled_objects_seven_objects");
    private static final Pattern OPTION_LINE = Pattern.compile("\\(([A-Z])\\) (.*)");
    private static final FeedbackFunction EXACT =
            new ExactMatchFactory().create(ExactMatchConfig.defaults(), TestingPluginContext.create());
    private static final FeedbackFunction CHOICE =
            new MultipleChoiceFactory().create(MultipleChoiceConfig.defaults(), TestingPluginContext.create());
    private static final FeedbackFunction NUMBER =
            new NumericFactory().create(NumericConfig.defaults(), TestingPluginContext.create());
    private static final FeedbackFunction WORDS =
            new WordListFactory().create(WordListConfig.defaults(), TestingPluginContext.create());

    static Path bbhDir() {
        String configured = System.getProperty("bbh.dir");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/data/bbh");
        assertTrue(Files.isDirectory(dir), () -> "BIG-Bench-Hard data not found at " + dir.toAbsolutePath());
        return dir;
    }

    static List<Example> load(String task) throws IOException {
        JsonNode root = new ObjectMapper().readTree(bbhDir().resolve(task + ".json").toFile());
        var examples = new ArrayList<Example>();
        int i = 0;
        for (JsonNode e : root.get("examples")) {
            examples.add(Example.of("bbh/" + task + "/" + i++, e.get("input").asText(), e.get("target").asText()));
        }
        assertFalse(examples.isEmpty(), task);
        return examples;
    }

    static Stream<String> multipleChoiceTasks() {
        return MULTIPLE_CHOICE.stream();
    }

    /** The "(A) …" lines of a BBH input; written here independently of the plugin's own reading. */
    private static List<String> optionsInInput(String input) {
        var options = new ArrayList<String>();
        String tail = input.substring(input.lastIndexOf("Options:\n") + "Options:\n".length());
        for (String line : tail.split("\n")) {
            Matcher m = OPTION_LINE.matcher(line);
            assertTrue(m.matches(), line);
            options.add(m.group(2));
        }
        return options;
    }

    private static void assertGoldCorrectWithEveryPrefix(FeedbackFunction f, Example e) {
        Feedback fb = f.evaluate(e, e.target());
        assertTrue(fb.isCorrect(), () -> e.id() + ": gold " + e.target() + " judged " + fb);
        assertEquals(1.0, fb.score(), e.id());
        var pf = (PrefixFeedback) f;
        for (int i = 0; i <= e.target().length(); i++) {
            String prefix = e.target().substring(0, i);
            assertTrue(pf.isPrefixOfCorrect(e, prefix), () -> e.id() + ": prefix '" + prefix + "' rejected");
        }
    }

    @ParameterizedTest
    @MethodSource("multipleChoiceTasks")
    void multipleChoiceGoldScoresOneAndOtherOptionsZero(String task) throws IOException {
        int otherOptions = 0;
        for (Example real : load(task)) {
            assertGoldCorrectWithEveryPrefix(EXACT, real);
            List<String> options = optionsInInput(real.input());
            int gold = real.target().charAt(1) - 'A';
            var withOptions = new Example(real.id(), real.input(), real.target(), options, Map.of(), List.of());
            // BBH files have their options only in the input; loaders may also pass them as a list.
            for (Example e : List.of(real, withOptions)) {
                assertGoldCorrectWithEveryPrefix(CHOICE, e);
                assertTrue(CHOICE.evaluate(e, real.target() + " " + options.get(gold) + ".").isCorrect(), e.id());
                for (int o = 0; o < options.size(); o++) {
                    // Every option's text names its own option, so only the gold's text is correct.
                    assertEquals(o == gold, CHOICE.evaluate(e, options.get(o)).isCorrect(), e.id() + " option " + o);
                    if (o == gold) {
                        continue;
                    }
                    String letter = "(" + (char) ('A' + o) + ")";
                    Feedback fb = CHOICE.evaluate(e, letter);
                    assertEquals(Verdict.WRONG, fb.verdict(), () -> e.id() + " " + letter);
                    assertEquals(0.0, fb.score());
                    assertFalse(EXACT.evaluate(e, letter).isCorrect(), e.id());
                    assertFalse(((PrefixFeedback) CHOICE).isPrefixOfCorrect(e, letter), e.id());
                    otherOptions++;
                }
                String past = "(" + (char) ('A' + options.size()) + ")";
                assertEquals(Verdict.MALFORMED, CHOICE.evaluate(e, past).verdict(), e.id());
            }
        }
        assertTrue(otherOptions > 0);
    }

    @Test
    void objectCountingGoldScoresOneAndOtherNumbersZero() throws IOException {
        for (Example e : load("object_counting")) {
            assertGoldCorrectWithEveryPrefix(NUMBER, e);
            assertGoldCorrectWithEveryPrefix(EXACT, e);
            int gold = Integer.parseInt(e.target());
            assertTrue(NUMBER.evaluate(e, String.join(" ", EnglishNumbers.spell(gold)) + ".").isCorrect(), e.id());
            for (int other : new int[] {gold - 1, gold + 1, gold * 10}) {
                Feedback fb = NUMBER.evaluate(e, Integer.toString(other));
                assertEquals(Verdict.WRONG, fb.verdict(), e.id());
                assertEquals(0.0, fb.score());
                assertFalse(EXACT.evaluate(e, Integer.toString(other)).isCorrect(), e.id());
            }
        }
    }

    @Test
    void wordSortingGoldScoresOneAndPerturbedListsLess() throws IOException {
        int swapped = 0;
        for (Example e : load("word_sorting")) {
            assertGoldCorrectWithEveryPrefix(WORDS, e);
            assertGoldCorrectWithEveryPrefix(EXACT, e);
            String[] words = e.target().split(" ");
            if (words.length >= 2 && !words[0].equals(words[1])) {
                var perturbed = words.clone();
                perturbed[0] = words[1];
                perturbed[1] = words[0];
                String output = String.join(" ", perturbed);
                Feedback fb = WORDS.evaluate(e, output);
                assertEquals(Verdict.WRONG, fb.verdict(), e.id());
                assertEquals((words.length - 2) / (double) words.length, fb.score(), 1e-12, e.id());
                assertFalse(EXACT.evaluate(e, output).isCorrect(), e.id());
                swapped++;
            }
            if (words.length >= 2) {
                String shorter = String.join(" ", List.of(words).subList(0, words.length - 1));
                assertEquals((words.length - 1) / (double) words.length, WORDS.evaluate(e, shorter).score(), 1e-12);
            }
        }
        assertTrue(swapped > 200, "swapped " + swapped);
    }
}
