package dev.hir.bigbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.InvalidInputException;
import dev.hir.api.LatentState;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordSortingTest extends FamilyGeneratorTest {
    @Override
    String family() {
        return "word_sorting";
    }

    @Test
    void ranksSpellTheSortedAnswer() {
        ExampleGenerator g = createGenerator();
        Random r = new Random(2);
        for (int i = 0; i < 30; i++) {
            Example e = g.generate(g.defaultLevel(), r);
            String[] sorted = new String[e.states().size()];
            for (LatentState s : e.states()) {
                sorted[Integer.parseInt(s.values().get("rank")) - 1] = s.values().get("word");
                assertEquals(s.values().get("word"), e.input().substring(s.start(), s.end()));
            }
            assertEquals(e.target(), String.join(" ", sorted));
        }
    }

    @Test
    void levelZeroIsOneWordCopied() {
        Example e = createGenerator().generate(0, new Random(5));
        assertEquals(e.input().substring(e.input().lastIndexOf(' ') + 1), e.target());
    }

    @Test
    void plainWordListIsAVocabulary(@TempDir Path dir) throws IOException {
        var words = List.of("pear", "Apple", "zebra", "it's", "mango", "kiwi", "fig", "date", "lime", "plum",
                "grape", "melon", "peach", "lemon", "guava", "olive", "apricot", "cherry", "banana", "quince");
        Path file = Files.write(dir.resolve("words.txt"), words);
        var f = new BigBenchGeneratorFactory();
        var g = f.create(new BigBenchGeneratorFactory.Config(family(), null, file.toString(), dir.toString(), null),
                TestingPluginContext.create());
        Example e = g.generate(1, new Random(1));
        List<String> shown = List.of(e.input().substring(e.input().indexOf("List: ") + 6).split(" "));
        assertEquals(String.join(" ", shown.stream().sorted().toList()), e.target());
    }

    @Test
    void missingVocabularyIsReportedOnTheField(@TempDir Path dir) {
        var f = new BigBenchGeneratorFactory();
        var c = new BigBenchGeneratorFactory.Config(family(), null, dir.resolve("none.txt").toString(), null, null);
        var e = assertThrows(InvalidInputException.class, () -> f.create(c, TestingPluginContext.create()));
        assertEquals("wordList", e.source());
    }
}
