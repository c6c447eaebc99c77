package dev.hir.pytorch.tokenizer;

import dev.hir.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Learns a GPT-2-style byte-level BPE vocabulary from a corpus, for models trained from scratch.
 *
 * <p>The corpus is cut into pieces the way Hugging Face's ByteLevel pre-tokenizer cuts it (special tokens
 * first, then GPT-2's regex), each piece becomes its UTF-8 bytes, and the most frequent adjacent pair of
 * tokens is merged into a new token until the vocabulary has the requested size. Because every byte is a
 * token, any text encodes without unknown tokens. Ties go to the pair with the smaller ids (left, then
 * right), so the same corpus and config give the same vocabulary, byte for byte.
 *
 * <p>Pair counts are kept up to date incrementally: a merge only revisits the distinct words that hold the
 * pair, so training costs about the number of merged occurrences, not a recount of the corpus per merge.
 *
 * <p>A text that contains a special token's string verbatim encodes it as that special token, which decoding
 * then drops: that is how the tokenizers library treats special tokens, GPT-2's included. A trainer keeps no
 * state between calls; one instance may train on several threads at once.
 */
public final class BpeTrainer {

    /**
     * What to learn.
     *
     * @param vocabSize the number of tokens wanted: special tokens + 256 bytes + merges; default 2048.
     *     Training stops earlier if no pair occurs {@code minPairFrequency} times any more.
     * @param minPairFrequency a pair is merged only if it occurs at least this often; default 2
     * @param endOfSequenceToken the end-of-sequence special token, id 0; default {@code <|endoftext|>}
     * @param extraSpecialTokens more special tokens (a padding token, say), ids 1, 2, …; default none
     */
    public record Config(
            Integer vocabSize, Integer minPairFrequency, String endOfSequenceToken, List<String> extraSpecialTokens) {

        /** GPT-2's end-of-sequence token. */
        public static final String GPT2_END_OF_TEXT = "<|endoftext|>";

        /** Upper bound on {@code vocabSize}: a guard against typos, far above what a from-scratch model needs. */
        public static final int MAX_VOCAB_SIZE = 1 << 20;

        public Config {
            vocabSize = vocabSize == null ? 2048 : vocabSize;
            minPairFrequency = minPairFrequency == null ? 2 : minPairFrequency;
            endOfSequenceToken = endOfSequenceToken == null ? GPT2_END_OF_TEXT : endOfSequenceToken;
            extraSpecialTokens = extraSpecialTokens == null ? List.of() : extraSpecialTokens;
            if (extraSpecialTokens.stream().anyMatch(Objects::isNull)) {
                throw new InvalidInputException("extraSpecialTokens", "has a null entry");
            }
            extraSpecialTokens = List.copyOf(extraSpecialTokens);
            List<String> specials = specials(endOfSequenceToken, extraSpecialTokens);
            // The vocabulary type owns the rules for special tokens; check them now, not after training.
            checkSpecials("endOfSequenceToken", List.of(endOfSequenceToken));
            checkSpecials("extraSpecialTokens", specials);
            int least = specials.size() + ByteLevelBpe.BYTE_TOKENS;
            if (vocabSize < least || vocabSize > MAX_VOCAB_SIZE) {
                throw new InvalidInputException("vocabSize", "must be in [" + least + ", " + MAX_VOCAB_SIZE
                        + "] (special tokens + 256 bytes + merges), got " + vocabSize);
            }
            if (minPairFrequency < 1) {
                throw new InvalidInputException("minPairFrequency", "must be >= 1, got " + minPairFrequency);
            }
        }

        private static void checkSpecials(String field, List<String> specials) {
            try {
                new ByteLevelBpe(specials, List.of());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, e.getMessage());
            }
        }

        /** Every default. */
        public static Config defaults() {
            return new Config(null, null, null, null);
        }

        /** Every default but the vocabulary size. */
        public static Config ofVocabSize(int vocabSize) {
            return new Config(vocabSize, null, null, null);
        }

        /** The special tokens in id order: end of sequence, then the extra ones. */
        public List<String> specialTokens() {
            return specials(endOfSequenceToken, extraSpecialTokens);
        }

        private static List<String> specials(String eos, List<String> extra) {
            List<String> all = new ArrayList<>(1 + extra.size());
            all.add(eos);
            all.addAll(extra);
            return List.copyOf(all);
        }
    }

    /**
     * A trained vocabulary and what training saw.
     *
     * @param vocabulary the vocabulary; {@link ByteLevelBpe#vocabSize()} is the requested size unless the
     *     corpus ran out of pairs
     * @param distinctWords the number of distinct pre-tokenized pieces of the corpus
     * @param corpusChars code points of the corpus, outside special tokens
     * @param corpusBytes UTF-8 bytes of the same text: its length in byte tokens
     * @param corpusTokens its length in tokens of the trained vocabulary, as a Hugging Face encoder of
     *     {@link ByteLevelBpe#toTokenizerJson()} counts them
     * @param elapsed the wall time of training, pre-tokenization included
     */
    public record Result(
            ByteLevelBpe vocabulary,
            int distinctWords,
            long corpusChars,
            long corpusBytes,
            long corpusTokens,
            Duration elapsed) {

        /** Tokens per character with the trained vocabulary. */
        public double tokensPerChar() {
            return corpusChars == 0 ? 0.0 : (double) corpusTokens / corpusChars;
        }

        /** Tokens per character with bytes only, the baseline merges improve on. */
        public double byteTokensPerChar() {
            return corpusChars == 0 ? 0.0 : (double) corpusBytes / corpusChars;
        }
    }

    private final Config config;

    /** A trainer for {@code config}. */
    public BpeTrainer(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Learns a vocabulary from {@code corpus}, iterated once; an empty corpus gives bytes and specials only. */
    public Result train(Iterable<String> corpus) {
        long start = System.nanoTime();
        List<String> specials = config.specialTokens();
        WordCounts counts = WordCounts.of(corpus, specials);
        Merger merger = new Merger(counts, specials.size());
        List<ByteLevelBpe.Merge> merges = merger.run(
                config.vocabSize() - specials.size() - ByteLevelBpe.BYTE_TOKENS,
                config.minPairFrequency(),
                new HashSet<>(specials));
        ByteLevelBpe vocabulary = new ByteLevelBpe(specials, merges);
        return new Result(
                vocabulary,
                counts.words.length,
                counts.chars,
                counts.bytes,
                merger.tokenCount(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The distinct pieces of a corpus, as UTF-8 bytes, with how often each occurs. */
    private static final class WordCounts {
        byte[][] words;
        long[] freq;
        long chars;
        long bytes;

        static WordCounts of(Iterable<String> corpus, List<String> specials) {
            // Longest first, so that one special token inside another is matched the way the encoder does.
            Pattern specialPattern = Pattern.compile(specials.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|")));
            Map<String, long[]> pieceCounts = new HashMap<>();
            WordCounts out = new WordCounts();
            for (String text : corpus) {
                Objects.requireNonNull(text, "corpus text");
                Matcher m = specialPattern.matcher(text);
                int from = 0;
                while (m.find()) {
                    out.countSegment(text, from, m.start(), pieceCounts);
                    from = m.end();
                }
                out.countSegment(text, from, text.length(), pieceCounts);
            }
            String[] pieces = pieceCounts.keySet().toArray(new String[0]);
            // Sorted so that word order, and with it every later step, is independent of hash order.
            Arrays.sort(pieces);
            out.words = new byte[pieces.length][];
            out.freq = new long[pieces.length];
            for (int w = 0; w < pieces.length; w++) {
                out.words[w] = pieces[w].getBytes(StandardCharsets.UTF_8);
                out.freq[w] = pieceCounts.get(pieces[w])[0];
                out.bytes += out.freq[w] * out.words[w].length;
            }
            return out;
        }

        private void countSegment(String text, int from, int to, Map<String, long[]> pieceCounts) {
            if (from >= to) {
                return;
            }
            CharSequence segment = text.subSequence(from, to);
            chars += Character.codePointCount(segment, 0, segment.length());
            Gpt2PreTokenizer.forEachPiece(segment, piece -> pieceCounts.computeIfAbsent(piece, k -> new long[1])[0]++);
        }
    }

    /** An adjacent pair of tokens with its count over the corpus and the words that may hold it. */
    private static final class PairStat {
        final int left;
        final int right;
        long count;
        int[] words = new int[4];
        int size;
        int lastWord = -1;
        int touchedAtMerge = -1;

        PairStat(int left, int right) {
            this.left = left;
            this.right = right;
        }

        /** Words arrive in increasing order per pair, so remembering the last one removes repeats. */
        void addWord(int w) {
            if (w == lastWord) {
                return;
            }
            lastWord = w;
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }

    private record Candidate(long count, int left, int right) {}

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingLong(Candidate::count).reversed()
            .thenComparingInt(Candidate::left)
            .thenComparingInt(Candidate::right);

    /** The merge loop over one corpus's words. */
    private static final class Merger {
        private final int[][] symbols;
        private final long[] freq;
        private final List<String> tokenStrings = new ArrayList<>();
        private final Map<Long, PairStat> pairs = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>(BEST_FIRST);
        private final Set<Long> forbidden = new HashSet<>();

        Merger(WordCounts counts, int specialCount) {
            for (int i = 0; i < specialCount; i++) {
                tokenStrings.add(null); // never merged, so their strings are not needed here
            }
            for (int b = 0; b < ByteLevelBpe.BYTE_TOKENS; b++) {
                tokenStrings.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
            }
            symbols = new int[counts.words.length][];
            freq = counts.freq;
            for (int w = 0; w < symbols.length; w++) {
                byte[] bytes = counts.words[w];
                int[] s = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    s[i] = specialCount + (bytes[i] & 0xFF);
                }
                symbols[w] = s;
                for (int i = 0; i + 1 < s.length; i++) {
                    PairStat p = pair(s[i], s[i + 1]);
                    p.count += freq[w];
                    p.addWord(w);
                }
            }
            for (PairStat p : pairs.values()) {
                queue.add(new Candidate(p.count, p.left, p.right));
            }
        }

        List<ByteLevelBpe.Merge> run(int maxMerges, int minFrequency, Set<String> specials) {
            List<ByteLevelBpe.Merge> merges = new ArrayList<>(Math.max(0, maxMerges));
            while (merges.size() < maxMerges && !queue.isEmpty()) {
                Candidate best = queue.poll();
                long bestKey = key(best.left(), best.right());
                PairStat p = pairs.get(bestKey);
                if (p == null || forbidden.contains(bestKey)) {
                    continue;
                }
                if (p.count != best.count()) {
                    // Counts of existing pairs only fall, so a stale entry goes back with its true count.
                    if (p.count > 0) {
                        queue.add(new Candidate(p.count, p.left, p.right));
                    }
                    continue;
                }
                if (p.count < minFrequency) {
                    break;
                }
                String left = tokenStrings.get(p.left);
                String right = tokenStrings.get(p.right);
                if (specials.contains(left + right)) {
                    // The encoder would read this token as the special token; never make it.
                    forbidden.add(bestKey);
                    continue;
                }
                int merged = tokenStrings.size();
                tokenStrings.add(left + right);
                merges.add(new ByteLevelBpe.Merge(left, right));
                apply(p, merged, merges.size());
            }
            return merges;
        }

        /** Replaces every occurrence of pair {@code p} by {@code merged} and updates the counts it changes. */
        private void apply(PairStat p, int merged, int mergeNumber) {
            List<PairStat> created = new ArrayList<>();
            int a = p.left;
            int b = p.right;
            for (int k = 0; k < p.size; k++) {
                int w = p.words[k];
                int[] s = symbols[w];
                if (!contains(s, a, b)) {
                    continue; // an earlier merge took this word's occurrences
                }
                long f = freq[w];
                for (int i = 0; i + 1 < s.length; i++) {
                    pairs.get(key(s[i], s[i + 1])).count -= f;
                }
                int[] t = new int[s.length];
                int n = 0;
                for (int i = 0; i < s.length; i++) {
                    // Left to right, non-overlapping: "a a a" with (a, a) becomes "aa a", as the encoder does.
                    if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                        t[n++] = merged;
                        i++;
                    } else {
                        t[n++] = s[i];
                    }
                }
                t = Arrays.copyOf(t, n);
                symbols[w] = t;
                for (int i = 0; i + 1 < n; i++) {
                    PairStat q = pair(t[i], t[i + 1]);
                    q.count += f;
                    if (t[i] == merged || t[i + 1] == merged) {
                        // Only pairs with the new token are new adjacencies; the others were there before.
                        q.addWord(w);
                        if (q.touchedAtMerge != mergeNumber) {
                            q.touchedAtMerge = mergeNumber;
                            created.add(q);
                        }
                    }
                }
            }
            pairs.remove(key(a, b));
            for (PairStat q : created) {
                if (q.count > 0) {
                    queue.add(new Candidate(q.count, q.left, q.right));
                }
            }
        }

        long tokenCount() {
            long total = 0;
            for (int w = 0; w < symbols.length; w++) {
                total += freq[w] * symbols[w].length;
            }
            return total;
        }

        private PairStat pair(int left, int right) {
            return pairs.computeIfAbsent(key(left, right), k -> new PairStat(left, right));
        }

        private static boolean contains(int[] s, int a, int b) {
            for (int i = 0; i + 1 < s.length; i++) {
                if (s[i] == a && s[i + 1] == b) {
                    return true;
                }
            }
            return false;
        }

        private static long key(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }
    }
}
