package dev.hir.core.relabel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PrefixFeedback;
import dev.hir.api.RelabelingContext;
import dev.hir.core.config.ConfigBinder;
import dev.hir.testkit.TestingRelabelingContext;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/** Episodes, contexts and config binding for the relabeling tests. */
final class RelabelFixtures {
    private static final YAMLMapper YAML = new YAMLMapper();

    private RelabelFixtures() {}

    /** Exact match that can also judge beginnings: a beginning of the gold may still become correct. */
    static final PrefixFeedback EXACT_WITH_PREFIXES = new PrefixFeedback() {
        @Override
        public Feedback evaluate(Example example, String output) {
            return output.equals(example.target()) ? Feedback.correct("equal") : Feedback.wrong(0.0, "differs");
        }

        @Override
        public boolean isPrefixOfCorrect(Example example, String partialOutput) {
            return example.target().startsWith(partialOutput);
        }
    };

    /** The same judgement without the prefix capability. */
    static final FeedbackFunction EXACT = EXACT_WITH_PREFIXES::evaluate;

    static Example example(String gold) {
        return Example.of("t/1", "What is it?", gold);
    }

    static Episode episode(String gold, String output, Feedback feedback) {
        return new Episode(example(gold), Variant.PAPER_CORRECT, output, feedback, 0, 1);
    }

    static Episode episode(String gold, String output) {
        return episode(gold, output, EXACT.evaluate(example(gold), output));
    }

    static Episode withCount(Episode e, int count) {
        return new Episode(e.example(), e.instruction(), e.output(), e.feedback(), e.iteration(), count);
    }

    /** A context whose token pieces are single characters. */
    static RelabelingContext ctx(FeedbackFunction feedback, long seed) {
        return ctx(feedback, new Random(seed));
    }

    static RelabelingContext ctx(FeedbackFunction feedback, Random random) {
        return new TestingRelabelingContext(Variant.PAPER_CORRECT, feedback, random);
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text.isBlank() ? "{}" : text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds a section the way the core does, as {@code relabeling[0]}. */
    static <C> C bind(String yamlText, Class<C> type) {
        return ConfigBinder.bind(yaml(yamlText), type, "relabeling[0]");
    }

    /** The resolved configuration written out and bound again. */
    static <C> C roundTrip(C config, Class<C> type) {
        return ConfigBinder.bind(ConfigBinder.mapper().valueToTree(config), type, "relabeling[0]");
    }
}
