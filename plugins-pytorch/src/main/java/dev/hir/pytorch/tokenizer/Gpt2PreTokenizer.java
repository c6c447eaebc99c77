package dev.hir.pytorch.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces that BPE merges never cross, exactly as Hugging Face's ByteLevel
 * pre-tokenizer does with {@code use_regex: true} and {@code add_prefix_space: false}: GPT-2's pattern
 * (contractions, optional space + letters, optional space + digits, optional space + other symbols,
 * whitespace runs that leave the last space to the next word). Training on other pieces than the
 * encoder sees would learn merges that never fire.
 *
 * <p>{@link Pattern#UNICODE_CHARACTER_CLASS} makes {@code \s} the Unicode White_Space property, as in
 * the Oniguruma regex the Rust library uses; Java's default {@code \s} is ASCII only.
 */
final class Gpt2PreTokenizer {
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private Gpt2PreTokenizer() {}

    /** Calls {@code piece} with each piece of {@code text}, in order; the pieces concatenate to the text. */
    static void forEachPiece(CharSequence text, Consumer<String> piece) {
        Matcher m = GPT2_SPLIT.matcher(text);
        int end = 0;
        while (m.find()) {
            // The pattern matches every character, but keep any gap so the pieces always cover the text.
            if (m.start() > end) {
                piece.accept(text.subSequence(end, m.start()).toString());
            }
            piece.accept(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            piece.accept(text.subSequence(end, text.length()).toString());
        }
    }

    /** The pieces of {@code text}. */
    static List<String> pieces(CharSequence text) {
        List<String> out = new ArrayList<>();
        forEachPiece(text, out::add);
        return out;
    }
}
