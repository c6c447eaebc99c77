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
 * policy as a plugin. Registered in the test sources' META-INF/services.
 */
final class TestLetters {
    private TestLetters() {}

    static Example example(int level, int k) {
        String input = "Level " + level + " item " + k + ": which letter?\nOptions:\n(A) a\n(B) b\n(C) c";
        return new Example("letters/" + level + "/" + k, input, "(" + (char) ('A' + (k + level) % 3) + ")",
                List.of("a", "b", "c"), Map.of(), List.of());
    }

    record NoConfig() {}

    /** The "letters" family. */
    public static final class Generators implements GeneratorFactory<NoConfig> {
        @Override
        public String name() {
            return "test-letters-generator";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public List<String> families() {
            return List.of("letters");
        }

        @Override
        public NoConfig configFor(String family) {
            if (!family.equals("letters")) {
                throw new InvalidInputException("family", "no family " + family);
            }
            return new NoConfig();
        }

        @Override
        public ExampleGenerator create(NoConfig config, PluginContext context) {
            return new ExampleGenerator() {
                @Override
                public String family() {
                    return "letters";
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
                    return example(level, random.nextInt(3));
                }
            };
        }
    }

    /** The "real" letters examples: the top level's three. */
    public static final class Loader implements TaskLoaderFactory<NoConfig> {
        @Override
        public String name() {
            return "test-letters";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public List<String> knownTasks() {
            return List.of("letters");
        }

        @Override
        public NoConfig configFor(String taskName) {
            return new NoConfig();
        }

        @Override
        public TaskLoader create(NoConfig config, PluginContext context) {
            return () -> {
                var test = new ArrayList<Example>();
                for (int k = 0; k < 3; k++) {
                    test.add(example(2, k));
                }
                return new Task("letters", List.of(), test, Map.of());
            };
        }
    }

    /** The tabular policy as a plugin. */
    public static final class Policies implements PolicyFactory<NoConfig> {
        @Override
        public String name() {
            return "test-tabular";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Policy create(NoConfig config, PluginContext context) {
            return new TabularPolicy(1.0, 0);
        }
    }
}
