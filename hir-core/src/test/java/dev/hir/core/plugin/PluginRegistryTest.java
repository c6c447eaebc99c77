package dev.hir.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFactory;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.core.config.PluginSpec;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {
    record NoConfig() {}

    record Threshold(Double minimum) {
        Threshold {
            minimum = minimum == null ? 0.5 : minimum;
        }
    }

    static class Always implements FeedbackFactory<NoConfig> {
        @Override
        public String name() {
            return "always";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public FeedbackFunction create(NoConfig config, PluginContext context) {
            return (e, o) -> Feedback.correct("always");
        }
    }

    static class AlsoAlways extends Always {}

    static class Thresholded implements FeedbackFactory<Threshold> {
        @Override
        public String name() {
            return "thresholded";
        }

        @Override
        public Class<Threshold> configType() {
            return Threshold.class;
        }

        @Override
        public FeedbackFunction create(Threshold config, PluginContext context) {
            return (e, o) -> o.length() >= config.minimum() ? Feedback.correct("long") : Feedback.wrong(0, "short");
        }
    }

    @Test
    void pluginsAreListedByKindAndName() {
        var registry = PluginRegistry.of(List.of(new Thresholded(), new Always()));
        assertEquals(List.of("always", "thresholded"),
                registry.list(PluginKind.FEEDBACK).stream().map(RegisteredPlugin::name).toList());
        assertTrue(registry.list(PluginKind.POLICY).isEmpty());
    }

    @Test
    void twoPluginsWithOneNameAreAnError() {
        var e = assertThrows(IllegalStateException.class,
                () -> PluginRegistry.of(List.of(new Always(), new AlsoAlways())));
        assertTrue(e.getMessage().contains("'always'"), e.getMessage());
        assertTrue(e.getMessage().contains(AlsoAlways.class.getName()), e.getMessage());
    }

    @Test
    void theSameClassTwiceIsRegisteredOnce() {
        var registry = PluginRegistry.of(List.of(new Always(), new Always()));
        assertEquals(1, registry.list(PluginKind.FEEDBACK).size());
    }

    @Test
    void anUnknownNameListsTheInstalledOnes() {
        var registry = PluginRegistry.of(List.of(new Always(), new Thresholded()));
        var e = assertThrows(InvalidInputException.class,
                () -> registry.factory(PluginKind.FEEDBACK, "exact", "feedback.type"));
        assertEquals("feedback.type", e.source());
        assertTrue(e.getMessage().contains("always, thresholded"), e.getMessage());
    }

    @Test
    void instantiatorBindsTheSectionAndChecksTheCapability() {
        var plugins = new PluginInstantiator(PluginRegistry.of(List.of(new Thresholded())), TestingPluginContext.create());
        var settings = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("minimum", 3);
        var spec = new PluginSpec("thresholded", settings);
        FeedbackFunction f = plugins.create(PluginKind.FEEDBACK, spec, "feedback", FeedbackFunction.class);
        assertTrue(f.evaluate(dev.hir.api.Example.of("1", "q", "t"), "abcd").isCorrect());
        var e = assertThrows(InvalidInputException.class,
                () -> plugins.create(PluginKind.FEEDBACK, spec, "feedback", dev.hir.api.TrainablePolicy.class));
        assertEquals("feedback.type", e.source());
    }

    @Test
    void discoveryFindsTheCoresOwnPlugins() {
        var registry = PluginRegistry.discover();
        assertTrue(registry.find(PluginKind.RELABELING, "hindsight-binary").isPresent());
        assertTrue(registry.find(PluginKind.FEEDBACK, "composite").isPresent());
    }
}
