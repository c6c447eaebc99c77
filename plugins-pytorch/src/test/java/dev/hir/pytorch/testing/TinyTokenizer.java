package dev.hir.pytorch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small byte-level BPE {@code tokenizer.json} by hand for tests: the 256 byte tokens (ids =
 * byte values, in GPT-2's byte-to-character alphabet), a few merges, and {@code <|endoftext|>} as a
 * special token after them. Any text encodes (no unknown tokens).
 */
public final class TinyTokenizer {
    /** The merges, in priority order, written in the byte-level alphabet ('Ġ' is a space). */
    static final List<String[]> MERGES = List.of(
            new String[] {"Q", ":"}, new String[] {"A", ":"}, new String[] {"Ġ", "1"}, new String[] {"Ġ", "+"},
            new String[] {"Ġ", "("}, new String[] {"t", "h"}, new String[] {"th", "e"}, new String[] {"Ġ", "the"},
            new String[] {"i", "s"}, new String[] {"Ġ", "is"});

    private TinyTokenizer() {}

    /** The number of ids: 256 bytes + merges + end of text. */
    public static int vocabSize() {
        return 256 + MERGES.size() + 1;
    }

    /** The id of {@code <|endoftext|>}. */
    public static int endOfTextId() {
        return 256 + MERGES.size();
    }

    /** Writes the file. */
    public static Path write(Path file) throws IOException {
        String[] alphabet = byteAlphabet();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(alphabet[b], b);
        }
        List<String> merges = new ArrayList<>();
        for (String[] m : MERGES) {
            vocab.put(m[0] + m[1], vocab.size());
            merges.add(m[0] + " " + m[1]);
        }
        StringBuilder json = new StringBuilder();
        json.append("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[")
                .append("{\"id\":").append(endOfTextId())
                .append(",\"content\":\"<|endoftext|>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,")
                .append("\"normalized\":true,\"special\":true}],\"normalizer\":null,")
                .append("\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true},")
                .append("\"post_processor\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false,\"use_regex\":true},")
                .append("\"decoder\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true},")
                .append("\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":\"\",")
                .append("\"end_of_word_suffix\":\"\",\"fuse_unk\":false,\"byte_fallback\":false,\"vocab\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            json.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        json.append("},\"merges\":[");
        for (int i = 0; i < merges.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quote(merges.get(i)));
        }
        json.append("]}}");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** GPT-2's byte-to-character table: printable bytes stand for themselves, the rest map above 255. */
    static String[] byteAlphabet() {
        String[] table = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = new String(Character.toChars(printable ? b : next++));
        }
        return table;
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
