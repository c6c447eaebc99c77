package dev.hir.core.run;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.hir.api.Example;
import dev.hir.api.Feedback;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TrainablePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Overrides the configured plugins with test doubles through the run's one override point: a 3-option
 * task whose held-out queries repeat the training inputs (the tabular policy cannot generalize), an
 * exact-match feedback that calls " ???" malformed, and the tabular policy.
 */
final class TestRunModule extends AbstractModule {
    private final long sleepPerStepMillis;

    TestRunModule(long sleepPerStepMillis) {
        this.sleepPerStepMillis = sleepPerStepMillis;
    }

    static Task task() {
        var train = new ArrayList<Example>();
        var test = new ArrayList<Example>();
        for (int i = 0; i < 12; i++) {
            String target = "(" + (char) ('A' + i % 3) + ")";
            String input = "Question " + i + ": pick the letter.\nOptions:\n(A) a\n(B) b\n(C) c";
            train.add(new Example("train/" + i, input, target, List.of("a", "b", "c"), Map.of(), List.of()));
            test.add(new Example("test/" + i, input, target, List.of("a", "b", "c"), Map.of(), List.of()));
        }
        return new Task("letters", train, test, Map.of("source", "test"));
    }

    static FeedbackFunction feedback() {
        return (example, output) -> {
            String norm = output.replace(" ", "");
            if (!norm.matches("\\([A-C]\\)")) {
                return Feedback.malformed("not an option: " + output);
            }
            return norm.equals(example.target()) ? Feedback.correct("match") : Feedback.wrong(0.0, "expected " + example.target());
        };
    }

    @Override
    protected void configure() {
        bind(TaskLoader.class).toInstance(TestRunModule::task);
        bind(FeedbackFunction.class).toInstance(feedback());
    }

    @Provides
    @Singleton
    TrainablePolicy policy() {
        return new TabularPolicy(1.0, sleepPerStepMillis);
    }
}
