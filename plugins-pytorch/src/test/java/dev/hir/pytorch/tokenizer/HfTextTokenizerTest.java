package dev.hir.pytorch.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.testing.TinyTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTextTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void byteLevelTokenizerRoundTripsAnyTextAndFindsEndOfText() throws Exception {
        try (HfTextTokenizer tok = HfTextTokenizer.load(TinyTokenizer.write(dir.resolve("tokenizer.json")), Optional.empty())) {
            assertEquals(TinyTokenizer.vocabSize(), tok.vocabSize());
            assertEquals(TinyTokenizer.endOfTextId(), tok.endOfSequenceId());
            for (String text : List.of("Q: is the sum 1 + 1?\nA: (B)", "  tabs\tand ünïcödé ✓ 😀", "", "x")) {
                int[] ids = tok.encode(text);
                assertEquals(text, tok.decode(ids));
                assertEquals(text, String.join("", tok.pieces(text)));
                int[] ends = tok.tokenEnds(text);
                assertEquals(ids.length, ends.length);
                for (int i = 1; i < ends.length; i++) {
                    assertTrue(ends[i] >= ends[i - 1], text);
                }
                if (ends.length > 0) {
                    assertEquals(text.length(), ends[ends.length - 1]);
                }
            }
            // " the" is one token ending at character 4 after "Q:" (2 tokens or fewer).
            int[] ends = tok.tokenEnds("Q: the");
            assertEquals(6, ends[ends.length - 1]);
            assertEquals(2, ends[ends.length - 2]);
            // The merges apply: " the" is one token.
            assertEquals(1, tok.encode(" the").length);
            int[] withEos = {tok.encode("A")[0], tok.endOfSequenceId()};
            assertEquals("A", tok.decode(withEos));
            assertArrayEquals(new int[0], tok.encode(""));
        }
    }

    @Test
    void notATokenizerFileIsAnInputError() throws Exception {
        Path bad = Files.writeString(dir.resolve("tokenizer.json"), "{\"hello\": 1}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HfTextTokenizer.load(bad, Optional.empty()));
        assertTrue(e.source().endsWith("tokenizer.json"));
    }
}
