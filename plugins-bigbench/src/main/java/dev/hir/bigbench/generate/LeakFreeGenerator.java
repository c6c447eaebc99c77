package dev.hir.bigbench.generate;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import java.util.Random;
import java.util.Set;

/**
 * A generator that draws again whenever it produces an input of the real benchmark, so that training on
 * generated examples never trains on a test example. Redrawing from the same {@link Random} keeps it
 * deterministic.
 */
final class LeakFreeGenerator implements ExampleGenerator {
    private static final int MAX_DRAWS = 10_000;

    private final ExampleGenerator delegate;
    private final Set<String> realInputs;

    LeakFreeGenerator(ExampleGenerator delegate, Set<String> realInputs) {
        this.delegate = delegate;
        this.realInputs = Set.copyOf(realInputs);
    }

    ExampleGenerator delegate() {
        return delegate;
    }

    @Override
    public String family() {
        return delegate.family();
    }

    @Override
    public int levels() {
        return delegate.levels();
    }

    @Override
    public int defaultLevel() {
        return delegate.defaultLevel();
    }

    @Override
    public Example generate(int level, Random random) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            Example e = delegate.generate(level, random);
            if (!realInputs.contains(e.input())) {
                return e;
            }
        }
        throw new IllegalStateException(family() + " level " + level + " keeps producing real benchmark inputs");
    }
}
