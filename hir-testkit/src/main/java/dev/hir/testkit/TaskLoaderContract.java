package dev.hir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.api.Example;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import java.util.HashSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract every {@link TaskLoader} plugin passes. */
public abstract class TaskLoaderContract {
    private static final Pattern LETTER = Pattern.compile("\\(([A-Z])\\)");

    /** The plugin's factory. */
    protected abstract TaskLoaderFactory<?> factory();

    /** A loader created from a typical configuration, reading real data where the plugin reads files. */
    protected abstract TaskLoader createLoader();

    @Test
    void factoryIsWellFormedAndDiscoverable() {
        PluginFactoryChecks.checkShape(factory());
        PluginFactoryChecks.checkDiscoverable(TaskLoaderFactory.class, factory());
    }

    @Test
    void loadsANonEmptyTaskWithDisjointSplits() {
        Task t = createLoader().load();
        assertFalse(t.name().isBlank());
        assertFalse(t.train().isEmpty() && t.test().isEmpty(), "task has no examples");
        var trainInputs = new HashSet<String>();
        t.train().forEach(e -> trainInputs.add(e.id()));
        for (Example e : t.test()) {
            assertFalse(trainInputs.contains(e.id()), () -> "example in both splits: " + e.id());
        }
    }

    @Test
    void examplesHaveInputsAndTargets() {
        Task t = createLoader().load();
        for (Example e : concat(t)) {
            assertFalse(e.input().isBlank(), () -> "blank input: " + e.id());
            assertFalse(e.target().isBlank(), () -> "blank target: " + e.id());
            if (e.isMultipleChoice()) {
                var m = LETTER.matcher(e.target());
                assertTrue(m.matches(), () -> "multiple-choice target is not a letter: " + e.target());
                int index = m.group(1).charAt(0) - 'A';
                assertTrue(index < e.options().size(), () -> "target letter past the options: " + e.id());
            }
        }
    }

    @Test
    void loadingIsDeterministic() {
        assertEquals(createLoader().load(), createLoader().load());
    }

    private static Iterable<Example> concat(Task t) {
        var all = new java.util.ArrayList<>(t.train());
        all.addAll(t.test());
        return all;
    }
}
