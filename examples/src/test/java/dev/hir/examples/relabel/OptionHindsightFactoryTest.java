package dev.hir.examples.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Episode;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.InvalidInputException;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import dev.hir.testkit.RelabelingContract;
import dev.hir.testkit.TestingPluginContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example plugin passes the same contract as the built-in strategies. */
class OptionHindsightFactoryTest extends RelabelingContract {
    private final OptionHindsightFactory factory = new OptionHindsightFactory();

    @Override
    protected RelabelingFactory<?> factory() {
        return factory;
    }

    @Override
    protected RelabelingStrategy createStrategy() {
        // The contract's episodes are not multiple choice; wrap so every example gets two options.
        RelabelingStrategy inner = factory.create(new OptionHindsightFactory.Config(null, 1.0), TestingPluginContext.create());
        return (episode, context) -> {
            Example e = episode.example();
            Example mc = new Example(e.id(), e.input(), e.target(), List.of("three", "five"), Map.of(), List.of());
            String out = episode.output().equals("5") ? "(B)" : episode.output().equals("3") ? "(A)" : episode.output();
            return inner.relabel(new Episode(mc, episode.instruction(), out, episode.feedback(), episode.iteration(),
                    episode.count()), context).stream()
                    .map(t -> new TrainingExample(t.instruction(), t.contrastInstructions(), t.example(), "",
                            episode.output(), true, t.weight()))
                    .toList();
        };
    }

    private static Episode episode(String output) {
        Example e = new Example("q/1", "Pick.\nOptions:\n(A) x\n(B) y\n(C) z", "(B)", List.of("x", "y", "z"), Map.of(), List.of());
        return new Episode(e, "Solve the question with correct answer.", output, Feedback.wrong(0, "w"), 1, 2);
    }

    @Test
    void anyNamedOptionBecomesTheGoalItReached() {
        RelabelingStrategy s = factory.create(new OptionHindsightFactory.Config(null, null), TestingPluginContext.create());
        List<TrainingExample> out = s.relabel(episode(" (C)"), context(1));
        assertEquals(1, out.size());
        assertEquals("Answer with option (C).", out.get(0).instruction());
        assertEquals(List.of("Answer with option (A).", "Answer with option (B)."), out.get(0).contrastInstructions());
        assertEquals(1.0, out.get(0).weight(), 1e-12, "default weight 0.5 times the episode's count 2");
    }

    @Test
    void outputsNamingNoValidOptionYieldNothing() {
        RelabelingStrategy s = factory.create(new OptionHindsightFactory.Config(null, null), TestingPluginContext.create());
        assertTrue(s.relabel(episode("maybe"), context(1)).isEmpty());
        assertTrue(s.relabel(episode("(D)"), context(1)).isEmpty());
    }

    @Test
    void aTemplateWithoutThePlaceholderIsRejectedNamingTheField() {
        var e = assertThrows(InvalidInputException.class, () -> new OptionHindsightFactory.Config("Answer.", null));
        assertEquals("template", e.source());
    }
}
