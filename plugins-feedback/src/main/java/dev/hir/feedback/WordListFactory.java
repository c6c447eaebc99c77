package dev.hir.feedback;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;

/**
 * {@code word-list}: an ordered sequence of words, e.g. a sorted list. Output and gold are case folded
 * (unless configured otherwise), stripped of trailing periods and split at white space. Correct iff the
 * sequences are identical; otherwise the score is the share of positions that hold the gold word, over
 * {@code max(gold words, output words)} positions (so missing and extra words both cost). No words at all
 * is {@link dev.hir.api.Feedback.Verdict#MALFORMED}. Stricter than the reference exact match, which also
 * accepts words run together. Offers the prefix check.
 */
public final class WordListFactory implements FeedbackFactory<WordListConfig> {

    @Override
    public String name() {
        return "word-list";
    }

    @Override
    public String description() {
        return "ordered word sequence, graded by the share of positions right";
    }

    @Override
    public Class<WordListConfig> configType() {
        return WordListConfig.class;
    }

    @Override
    public FeedbackFunction create(WordListConfig config, PluginContext context) {
        return new WordList(config);
    }
}
