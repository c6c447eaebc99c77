package dev.hir.bench;

import dev.hir.pytorch.tokenizer.BpeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Trains the project's byte-level BPE tokenizer on a text corpus (paragraphs separated by blank lines,
 * e.g. the {@code corpus.txt} that {@code hir pretrain} writes) and writes {@code tokenizer.json}.
 *
 * <p>Usage: {@code TrainTokenizer CORPUS VOCAB_SIZE OUT_TOKENIZER_JSON}
 */
public final class TrainTokenizer {
    private TrainTokenizer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TrainTokenizer CORPUS VOCAB_SIZE OUT_TOKENIZER_JSON");
            System.exit(2);
        }
        List<String> paragraphs = Arrays.asList(Files.readString(Path.of(args[0])).split("\n\n"));
        var result = new BpeTrainer(BpeTrainer.Config.ofVocabSize(Integer.parseInt(args[1]))).train(paragraphs);
        Path out = Path.of(args[2]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        result.vocabulary().writeTokenizerJson(out);
        System.out.printf("vocabulary %d, %.3f tokens/char (bytes: %.3f), %s%n", result.vocabulary().vocabSize(),
                result.tokensPerChar(), result.byteTokensPerChar(), result.elapsed());
    }
}
