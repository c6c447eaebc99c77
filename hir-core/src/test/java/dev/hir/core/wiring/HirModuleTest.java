package dev.hir.core.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.AbstractModule;
import com.google.inject.ProvisionException;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.core.config.RunConfig;
import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.plugin.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HirModuleTest {
    private static final RunConfig CONFIG = RunConfigLoader.parse(
            "seed: 3\ncompute_threads: 1\ntask: {type: t}\nfeedback: {type: nope}\npolicy: p\n".getBytes(StandardCharsets.UTF_8), "x");

    private static HirModule module() {
        return new HirModule(CONFIG, Path.of("/base"), Optional.empty(), PluginRegistry.of(List.of()));
    }

    @Test
    void aUserModuleOverridesAConfiguredPlugin() {
        FeedbackFunction mine = (e, o) -> Feedback.correct("mine");
        var injector = HirModule.injector(module(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(FeedbackFunction.class).toInstance(mine);
            }
        });
        assertSame(mine, injector.getInstance(FeedbackFunction.class));
    }

    @Test
    void theContextCarriesTheRunsSeedAndThreadBudget() {
        PluginContext c = HirModule.injector(module()).getInstance(PluginContext.class);
        assertEquals(3, c.seed());
        assertEquals(1, c.computeThreads());
        assertEquals(Path.of("/base/data/x.json"), c.resolve("data/x.json"));
    }

    @Test
    void anUnknownConfiguredPluginFailsWithTheFieldPath() {
        var injector = HirModule.injector(module());
        var e = assertThrows(ProvisionException.class, () -> injector.getInstance(FeedbackFunction.class));
        var cause = (InvalidInputException) e.getCause();
        assertEquals("feedback.type", cause.source());
        Example.of("a", "b", "c");
    }
}
