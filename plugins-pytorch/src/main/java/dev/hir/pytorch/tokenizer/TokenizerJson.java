package dev.hir.pytorch.tokenizer;

import java.util.List;

/**
 * Writes a {@link ByteLevelBpe} as Hugging Face's {@code tokenizer.json}, in the shape the Rust library
 * serializes a GPT-2 tokenizer: BPE model with vocab and merges, ByteLevel pre-tokenizer (GPT-2 regex, no
 * prefix space), ByteLevel post-processor and decoder, the special tokens as added tokens.
 *
 * <p>Written by hand rather than through a JSON library so that the bytes depend only on the vocabulary:
 * fixed key order, vocab in id order, one entry per line. Merges use the {@code "left right"} string
 * form that every version of the library reads; byte-level tokens never contain a space, so it is
 * unambiguous.
 */
final class TokenizerJson {
    private TokenizerJson() {}

    static String write(ByteLevelBpe bpe) {
        List<String> tokens = bpe.tokens();
        StringBuilder out = new StringBuilder(64 + 24 * tokens.size() + 16 * bpe.merges().size());
        out.append("{\n");
        out.append("  \"version\": \"1.0\",\n");
        out.append("  \"truncation\": null,\n");
        out.append("  \"padding\": null,\n");
        out.append("  \"added_tokens\": [");
        List<String> specials = bpe.specialTokens();
        for (int id = 0; id < specials.size(); id++) {
            out.append(id == 0 ? "\n" : ",\n");
            out.append("    {\"id\": ").append(id).append(", \"content\": ");
            string(out, specials.get(id));
            // Not normalized: a special token matches the raw text, before any byte-level mapping.
            out.append(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                    + " \"normalized\": false, \"special\": true}");
        }
        out.append("\n  ],\n");
        out.append("  \"normalizer\": null,\n");
        // No prefix space: it would add a space to every text and break decode(encode(text)) == text.
        out.append("  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": true, \"use_regex\": true},\n");
        // Untrimmed offsets: each token's span then covers its spaces too, so spans tile the text.
        out.append("  \"post_processor\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": false, \"use_regex\": true},\n");
        out.append("  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": true, \"use_regex\": true},\n");
        out.append("  \"model\": {\n");
        out.append("    \"type\": \"BPE\",\n");
        out.append("    \"dropout\": null,\n");
        out.append("    \"unk_token\": null,\n");
        out.append("    \"continuing_subword_prefix\": null,\n");
        out.append("    \"end_of_word_suffix\": null,\n");
        out.append("    \"fuse_unk\": false,\n");
        out.append("    \"byte_fallback\": false,\n");
        out.append("    \"ignore_merges\": false,\n");
        out.append("    \"vocab\": {");
        for (int id = 0; id < tokens.size(); id++) {
            out.append(id == 0 ? "\n      " : ",\n      ");
            string(out, tokens.get(id));
            out.append(": ").append(id);
        }
        out.append("\n    },\n");
        out.append("    \"merges\": [");
        List<ByteLevelBpe.Merge> merges = bpe.merges();
        for (int r = 0; r < merges.size(); r++) {
            out.append(r == 0 ? "\n      " : ",\n      ");
            string(out, merges.get(r).left() + ' ' + merges.get(r).right());
        }
        out.append(merges.isEmpty() ? "]\n" : "\n    ]\n");
        out.append("  }\n");
        out.append("}\n");
        return out.toString();
    }

    /** A JSON string literal; non-ASCII characters stay as they are (the file is UTF-8). */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
