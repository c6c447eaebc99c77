package dev.hir.core.pretrain;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.GeneratorFactory;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.Policy;
import dev.hir.api.PolicyFactory;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TaskLoaderFactory;
import dev.hir.core.run.TabularPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-only plugins for pretraining: a "letters" family with three levels of three examples each (so the
 * tabular policy can learn a level and the curriculum can move on), its real-data loader, and the tabular
 * policy as a plugin, learning ("test-tabular") or not at all ("test-frozen", which never passes a probe).
 * Registered in the test sources' META-INF/services.
 */
final class TestLetters {
    private TestLetters() {}

    static Example example(int level, int k) {
        String input = "Level " + level + " item " + k + ": which letter?\nOptions:\n(A) a\n(B) b\n(C) c";
        return new Example("letters/" + level + "/" + k, input, "(" + (char) ('A' + (k + level) % 3) + ")",
                List.of("a", "b", "c"), Map.of(), List.of());
    }

    /** A "free-letters" example: the same question as free text, without options (not multiple choice). */
    static Example freeForm(int level, int k) {
        Example e = example(level, k);
        return new Example("free-" + e.id(), e.input().substring(0, e.input().indexOf("\nOptions:")), e.target(),
                List.of(), Map.of(), List.of());
    }

    record NoConfig() {}

    record FamilyConfig(String family) {}

    /** The "letters" family, and "free-letters" with the same answers as free text. */
    public static final class Generators implements GeneratorFactory<FamilyConfig> {
        @Override
        public String name() {
            return "test-letters-generator";
        }

        @Override
        public Class<FamilyConfig> configType() {
            return FamilyConfig.class;
        }

        @Override
        public List<String> families() {
            return List.of("letters", "free-letters");
        }

        @Override
        public FamilyConfig configFor(String family) {
            if (!families().contains(family)) {
                throw new InvalidInputException("family", "no family " + family);
            }
            return new FamilyConfig(family);
        }

        @Override
        public ExampleGenerator create(FamilyConfig config, PluginContext context) {
            boolean free = config.family().equals("free-letters");
            return new ExampleGenerator() {
                @Override
                public String family() {
                    return config.family();
                }

                @Override
                public int levels() {
                    return 3;
                }

                @Override
                public int defaultLevel() {
                    return 2;
                }

                @Override
                public Example generate(int level, Random random) {
                    if (level < 0 || level >= 3) {
                        throw new IllegalArgumentException("level " + level);
                    }
                    int k = random.nextInt(3);
                    return free ? freeForm(level, k) : example(level, k);
                }
            };
        }
    }

    /** The "real" examples of each family: the top level's three. */
    public static final class Loader implements TaskLoaderFactory<FamilyConfig> {
        @Override
        public String name() {
            return "test-letters";
        }

        @Override
        public Class<FamilyConfig> configType() {
            return FamilyConfig.class;
        }

        @Override
        public List<String> knownTasks() {
            return List.of("letters", "free-letters");
        }

        @Override
        public FamilyConfig configFor(String taskName) {
            return new FamilyConfig(taskName);
        }

        @Override
        public TaskLoader create(FamilyConfig config, PluginContext context) {
            boolean free = config.family().equals("free-letters");
            return () -> {
                var test = new ArrayList<Example>();
                for (int k = 0; k < 3; k++) {
                    test.add(free ? freeForm(2, k) : example(2, k));
                }
                return new Task(config.family(), List.of(), test, Map.of());
            };
        }
    }

    /** The tabular policy as a plugin, under a name and with a learning rate. */
    private abstract static class TabularPolicies implements PolicyFactory<NoConfig> {
        private final String name;
        private final double learningRate;

        TabularPolicies(String name, double learningRate) {
            this.name = name;
            this.learningRate = learningRate;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Policy create(NoConfig config, PluginContext context) {
            return new TabularPolicy(learningRate, 0);
        }
    }

    /** "test-tabular": learns every prompt it is trained on. */
    public static final class Policies extends TabularPolicies {
        public Policies() {
            super("test-tabular", 1.0);
        }
    }

    /** "test-frozen": a learning rate of 0, so it never learns and no probe passes. */
    public static final class FrozenPolicies extends TabularPolicies {
        public FrozenPolicies() {
            super("test-frozen", 0.0);
        }
    }
}
