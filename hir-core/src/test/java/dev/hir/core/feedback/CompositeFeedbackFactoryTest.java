package dev.hir.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PrefixFeedback;
import dev.hir.core.config.ConfigBinder;
import dev.hir.core.config.PluginSpec;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.testkit.FeedbackContract;
import dev.hir.testkit.TestingPluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code composite} over the test-only components registered in this module's test services file. */
class CompositeFeedbackFactoryTest extends FeedbackContract {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Example TWELVE = Example.of("n/1", "How many eggs?", "12");

    @Override
    protected FeedbackFactory<?> factory() {
        return new CompositeFeedbackFactory();
    }

    @Override
    protected FeedbackFunction createFeedback() {
        return create("""
                components:
                  - {type: test-exact, weight: 0.5}
                  - {type: test-regex, weight: 0.5, pattern: "[0-9]+"}
                """);
    }

    @Override
    protected List<Example> examples() {
        return List.of(TWELVE, Example.of("n/2", "How many legs?", "7"));
    }

    @Override
    protected String wrongOutput(Example example) {
        return example.target() + "0";
    }

    private static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the section the way a run does: by name, through discovery and strict binding. */
    private static FeedbackFunction create(String settings) {
        var instantiator = new PluginInstantiator(PluginRegistry.discover(), TestingPluginContext.create());
        return instantiator.create(PluginKind.FEEDBACK, new PluginSpec("composite", yaml(settings)), "feedback",
                FeedbackFunction.class);
    }

    private static InvalidInputException rejected(String settings) {
        return assertThrows(InvalidInputException.class, () -> create(settings));
    }

    @Test
    void scoreIsTheMeanUnderNormalizedWeights() {
        var f = create("""
                components:
                  - {type: test-exact, weight: 1}
                  - {type: test-regex, weight: 3, pattern: "[0-9]+"}
                """);
        Feedback fb = f.evaluate(TWELVE, "13");
        assertEquals(0.75, fb.score(), 1e-12);
        assertEquals(Feedback.Verdict.WRONG, fb.verdict());
    }

    @Test
    void everyComponentScoreIsReportedByName() {
        Feedback fb = createFeedback().evaluate(TWELVE, "13");
        assertEquals(Map.of("test-exact", 0.0, "test-regex", 1.0), fb.components());
        assertTrue(fb.reason().contains("test-exact: wrong 0.000 (expected 12, got 13)"), fb.reason());
        assertTrue(fb.reason().contains("test-regex: correct 1.000"), fb.reason());
        assertTrue(fb.reason().startsWith("1 of 2 components correct"), fb.reason());
    }

    @Test
    void componentsOfOneTypeNeedDistinctNames() {
        var e = rejected("""
                components:
                  - {type: test-regex, pattern: "[0-9]+"}
                  - {type: test-regex, pattern: "1.*"}
                """);
        assertEquals("feedback.components[1].name", e.source());
        var f = create("""
                components:
                  - {type: test-regex, pattern: "[0-9]+", name: digits}
                  - {type: test-regex, pattern: "1.*", name: starts-with-one}
                """);
        assertEquals(Map.of("digits", 1.0, "starts-with-one", 0.0), f.evaluate(TWELVE, "23").components());
    }

    @Test
    void correctNeedsEveryComponentByDefaultOrTheThresholdWhenConfigured() {
        String components = """
                components:
                  - {type: test-exact, weight: 1}
                  - {type: test-regex, weight: 3, pattern: "[0-9]+"}
                """;
        assertFalse(create(components).evaluate(TWELVE, "13").isCorrect());
        assertTrue(create(components).evaluate(TWELVE, "12").isCorrect());
        var byScore = create(components + "correct_when: score\nthreshold: 0.7\n");
        Feedback fb = byScore.evaluate(TWELVE, "13");
        assertEquals(Feedback.Verdict.CORRECT, fb.verdict());
        assertEquals(0.75, fb.score(), 1e-12);
        assertEquals(Feedback.Verdict.WRONG, byScore.evaluate(TWELVE, "twelve").verdict());
    }

    @Test
    void malformedVerdictFollowsTheConfiguredRule() {
        String components = """
                components:
                  - {type: test-exact}
                  - {type: test-regex, pattern: "\\\\s*"}
                """;
        // A blank output is malformed for test-exact and matches the regex.
        Feedback any = create(components).evaluate(TWELVE, " ");
        assertEquals(Feedback.Verdict.MALFORMED, any.verdict());
        assertEquals(0.0, any.score());
        assertEquals(Map.of("test-exact", 0.0, "test-regex", 1.0), any.components());
        Feedback all = create(components + "malformed_when: all\n").evaluate(TWELVE, " ");
        assertEquals(Feedback.Verdict.WRONG, all.verdict());
        assertEquals(0.5, all.score(), 1e-12);
        assertEquals(Feedback.Verdict.WRONG, create(components + "malformed_when: never\n").evaluate(TWELVE, " ").verdict());
    }

    @Test
    void fullyCorrectOutputScoresExactlyOneWhateverTheWeights() {
        var f = create("""
                components:
                  - {type: test-exact, weight: 0.1}
                  - {type: test-overlap, weight: 0.2}
                  - {type: test-regex, weight: 0.7, pattern: "[0-9]+"}
                """);
        assertEquals(1.0, f.evaluate(TWELVE, "12").score());
        assertEquals(0.7 + 0.2 * 0.5, f.evaluate(TWELVE, "13").score(), 1e-12);
    }

    @Test
    void prefixCheckIsOfferedOnlyWhenEveryComponentOffersItAndAllMustBeCorrect() {
        String prefixComponents = """
                components:
                  - {type: test-exact}
                  - {type: test-overlap}
                """;
        var f = assertInstanceOf(PrefixFeedback.class, create(prefixComponents));
        assertTrue(f.isPrefixOfCorrect(TWELVE, "1"));
        assertTrue(f.isPrefixOfCorrect(TWELVE, ""));
        assertFalse(f.isPrefixOfCorrect(TWELVE, "2"));
        assertFalse(create(prefixComponents + "correct_when: score\nthreshold: 0.5\n") instanceof PrefixFeedback);
        assertFalse(createFeedback() instanceof PrefixFeedback, "test-regex cannot judge beginnings");
    }

    @Test
    void nestedCompositeReportsItsComponentsUnderItsName() {
        var f = create("""
                components:
                  - type: composite
                    name: inner
                    components: [{type: test-exact, ignore_case: true}, {type: test-overlap}]
                  - {type: test-regex, pattern: "[0-9]+"}
                """);
        assertEquals(Map.of("inner", 0.25, "inner.test-exact", 0.0, "inner.test-overlap", 0.5, "test-regex", 1.0),
                f.evaluate(TWELVE, "13").components());
    }

    @Test
    void mistakesNameTheFieldOfTheComponent() {
        var unknown = rejected("components: [{type: nonsense}]");
        assertEquals("feedback.components[0].type", unknown.source());
        assertTrue(unknown.getMessage().contains("test-exact"), "lists installed plugins: " + unknown.getMessage());
        assertEquals("feedback.components[1].weight",
                rejected("components: [{type: test-exact}, {type: test-overlap, weight: -1}]").source());
        assertEquals("feedback.components[0].weight", rejected("components: [{type: test-exact, weight: heavy}]").source());
        assertEquals("feedback.components[1].pattern",
                rejected("components: [{type: test-exact}, {type: test-regex}]").source());
        assertEquals("feedback.components[1].pattern",
                rejected("components: [{type: test-exact}, {type: test-regex, pattern: \"(\"}]").source());
        var key = rejected("components: [{type: test-regex, pattern: x, flags: i}]");
        assertEquals("feedback.components[0]", key.source());
        assertTrue(key.getMessage().contains("unknown key 'flags'") && key.getMessage().contains("weight, name"), key.getMessage());
        assertEquals("feedback.components[0].name", rejected("components: [{type: test-exact, name: 'A B'}]").source());
        assertEquals("feedback.components[1].components[0].type",
                rejected("components: [{type: test-exact}, {type: composite, components: [{type: nope}]}]").source());
    }

    @Test
    void mistakesOfTheCompositeItselfNameTheField() {
        assertEquals("feedback.components", rejected("threshold: 0.5").source());
        assertEquals("feedback.components", rejected("components: []").source());
        assertEquals("feedback.components",
                rejected("components: [{type: test-exact, weight: 0}, {type: test-overlap, weight: 0}]").source());
        assertEquals("feedback.threshold", rejected("components: [{type: test-exact}]\nthreshold: 0").source());
        assertEquals("feedback.correct_when", rejected("components: [{type: test-exact}]\ncorrect_when: most").source());
    }

    @Test
    void zeroWeightComponentStillVotesOnCorrectness() {
        var f = create("components: [{type: test-exact, weight: 0}, {type: test-regex, pattern: \"[0-9]+\"}]");
        Feedback fb = f.evaluate(TWELVE, "13");
        assertEquals(1.0, fb.score());
        assertEquals(Feedback.Verdict.WRONG, fb.verdict());
    }

    @Test
    void resolvedConfigBindsBackToItself() {
        var config = ConfigBinder.bind(yaml("""
                components:
                  - {type: test-exact, weight: 2, name: exact, ignore_case: true}
                  - {type: test-regex, pattern: "[0-9]+"}
                correct_when: score
                threshold: 0.6
                """), CompositeFeedbackConfig.class, "feedback");
        var again = ConfigBinder.bind(ConfigBinder.mapper().valueToTree(config), CompositeFeedbackConfig.class, "feedback");
        assertEquals(config, again);
        assertEquals(CorrectWhen.SCORE, again.correctWhen());
        assertEquals(MalformedWhen.ANY, again.malformedWhen());
    }
}
