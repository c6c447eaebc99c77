package dev.hir.pytorch.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {

    @Test
    void wordsCarryTheirLeadingSpace() {
        assertEquals(List.of("Hello", " my", " friend", ",", " how", " is", " your", " day", " going", "?"),
                Gpt2PreTokenizer.pieces("Hello my friend, how is your day going?"));
    }

    @Test
    void whitespaceRunLeavesItsLastSpaceToTheNextWord() {
        assertEquals(List.of("Hello", " there", "      ", " dear"), Gpt2PreTokenizer.pieces("Hello there       dear"));
        assertEquals(List.of("Hello", " there", "\n", "Hello"), Gpt2PreTokenizer.pieces("Hello there\nHello"));
        assertEquals(List.of("end", "  "), Gpt2PreTokenizer.pieces("end  "));
    }

    @Test
    void contractionsDigitsAndSymbolsAreSeparate() {
        assertEquals(List.of("I", "'m", " sure", " they", "'ll", " pay", " $", "12", ".", "50", "!!"),
                Gpt2PreTokenizer.pieces("I'm sure they'll pay $12.50!!"));
        assertEquals(List.of("(", "A", ")", " 12", "/", "25", "/", "1937"),
                Gpt2PreTokenizer.pieces("(A) 12/25/1937"));
    }

    @Test
    void unicodeWhitespaceAndLettersFollowUnicodeClasses() {
        // U+3000 is White_Space, which Java's default \s would not match.
        assertEquals(List.of("日本語", "\u3000", "テキスト", " Ελληνικά"),
                Gpt2PreTokenizer.pieces("日本語\u3000テキスト Ελληνικά"));
        assertEquals(List.of("a", " 😀👍"), Gpt2PreTokenizer.pieces("a 😀👍"));
        assertEquals(List.of(), Gpt2PreTokenizer.pieces(""));
    }
}
