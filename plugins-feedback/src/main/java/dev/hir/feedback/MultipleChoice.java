package dev.hir.feedback;

import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code multiple-choice} feedback function; see {@link MultipleChoiceFactory}. */
final class MultipleChoice implements PrefixFeedback {
    /** "(B)", "B", "B)", "(B", "( b )". */
    private static final Pattern LETTER = Pattern.compile("\\(? *([A-Za-z]) *\\)?");
    /** "(B) text" or "B) text": the parenthesis keeps a sentence starting with "A " from reading as (A). */
    private static final Pattern LETTER_AND_TEXT = Pattern.compile("(?:\\( *([A-Za-z]) *\\)|([A-Za-z])\\)) *(.+)");
    private static final Pattern OPTION_LINE = Pattern.compile("\\(([A-Z])\\) ?(.*)");

    private final boolean acceptOptionText;
    private final boolean optionsFromInput;

    MultipleChoice(MultipleChoiceConfig config) {
        this.acceptOptionText = config.acceptOptionText();
        this.optionsFromInput = config.optionsFromInput();
    }

    /** A parsed output: the option it names, or why it names none. */
    private sealed interface Answer {}

    private record Chosen(int index) implements Answer {}

    private record Unrecognised(String why) implements Answer {}

    @Override
    public Feedback evaluate(Example example, String output) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(output, "output");
        List<String> options = optionsOf(example);
        int gold = goldIndex(example, options);
        String expected = label(gold);
        if (ReferenceNormalization.matches(output, example.target(), true, true)) {
            return Feedback.correct("answered " + expected);
        }
        Answer answer = parse(output, options);
        if (answer instanceof Unrecognised u) {
            return Feedback.malformed(u.why() + "; expected " + expected);
        }
        int chosen = ((Chosen) answer).index();
        return chosen == gold
                ? Feedback.correct("answered " + expected)
                : Feedback.wrong(0.0, "expected " + expected + ", got " + label(chosen));
    }

    @Override
    public boolean isPrefixOfCorrect(Example example, String partialOutput) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(partialOutput, "partialOutput");
        List<String> options = optionsOf(example);
        int gold = goldIndex(example, options);
        if (ReferenceNormalization.isPrefixOfMatch(partialOutput, example.target(), true, true)) {
            return true;
        }
        // Compared without spaces, periods and case, which every accepted form of the gold ignores too.
        String p = AnswerText.compact(partialOutput);
        String letter = PythonText.foldCase(String.valueOf((char) ('A' + gold)));
        var closed = new ArrayList<>(List.of("(" + letter + ")", letter, letter + ")", "(" + letter));
        if (options.isEmpty()) {
            // Without options any text may follow "(B)" or "B)".
            for (String open : List.of("(" + letter + ")", letter + ")")) {
                if (p.startsWith(open)) {
                    return true;
                }
            }
        } else {
            String text = AnswerText.compact(options.get(gold));
            closed.add("(" + letter + ")" + text);
            closed.add(letter + ")" + text);
            if (acceptOptionText) {
                closed.add(text);
            }
        }
        return closed.stream().anyMatch(c -> c.startsWith(p));
    }

    private Answer parse(String output, List<String> options) {
        String s = AnswerText.trimAnswer(AnswerText.plainSpaces(output));
        if (s.isEmpty()) {
            return new Unrecognised("empty output");
        }
        Matcher m = LETTER.matcher(s);
        if (m.matches()) {
            return letter(m.group(1), options);
        }
        m = LETTER_AND_TEXT.matcher(s);
        if (m.matches()) {
            Answer a = letter(m.group(1) != null ? m.group(1) : m.group(2), options);
            if (a instanceof Chosen c && !options.isEmpty()) {
                String text = AnswerText.comparable(m.group(3));
                if (!text.equals(AnswerText.comparable(options.get(c.index())))) {
                    Optional<Integer> other = optionWithText(text, options);
                    return new Unrecognised(other.isPresent()
                            ? label(c.index()) + " given with the text of " + label(other.get())
                            : "text after " + label(c.index()) + " is not its option: " + Reasons.quote(m.group(3)));
                }
            }
            return a;
        }
        if (acceptOptionText && !options.isEmpty()) {
            Optional<Integer> byText = optionWithText(AnswerText.comparable(s), options);
            if (byText.isPresent()) {
                return new Chosen(byText.get());
            }
        }
        return new Unrecognised("not an option: " + Reasons.quote(s));
    }

    private static Answer letter(String letter, List<String> options) {
        int index = Character.toUpperCase(letter.charAt(0)) - 'A';
        if (!options.isEmpty() && index >= options.size()) {
            return new Unrecognised(label(index) + " is not one of " + label(0) + "–" + label(options.size() - 1));
        }
        return new Chosen(index);
    }

    private static Optional<Integer> optionWithText(String comparableText, List<String> options) {
        for (int i = 0; i < options.size(); i++) {
            if (AnswerText.comparable(options.get(i)).equals(comparableText)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The example's options, or those listed in its input when it has none and the config allows. */
    private List<String> optionsOf(Example example) {
        if (example.isMultipleChoice() || !optionsFromInput) {
            return example.options();
        }
        String[] lines = example.input().split("\n", -1);
        int start = -1;
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].strip().equals("Options:")) {
                start = i + 1;
                break;
            }
        }
        var options = new ArrayList<String>();
        for (int i = Math.max(start, 0); start >= 0 && i < lines.length; i++) {
            Matcher m = OPTION_LINE.matcher(lines[i].strip());
            if (!m.matches() || m.group(1).charAt(0) != 'A' + options.size()) {
                break;
            }
            options.add(m.group(2));
        }
        return options;
    }

    private static int goldIndex(Example example, List<String> options) {
        String target = AnswerText.trimAnswer(AnswerText.plainSpaces(example.target()));
        Matcher m = LETTER.matcher(target);
        if (m.matches()) {
            int index = Character.toUpperCase(m.group(1).charAt(0)) - 'A';
            if (!options.isEmpty() && index >= options.size()) {
                throw new InvalidInputException(example.id(), "multiple-choice target " + Reasons.quote(example.target())
                        + " names no option; the example has " + options.size());
            }
            return index;
        }
        return optionWithText(AnswerText.comparable(target), options)
                .orElseThrow(() -> new InvalidInputException(example.id(), "multiple-choice target "
                        + Reasons.quote(example.target()) + " is neither an option letter nor an option's text"));
    }

    private static String label(int index) {
        return "(" + (char) ('A' + index) + ")";
    }
}
