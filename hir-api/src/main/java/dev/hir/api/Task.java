package dev.hir.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of examples split into the queries a run may learn from and the held-out ones it is
 * evaluated on.
 *
 * <p>Contract: example ids are unique across both splits and the two splits share no example. The order
 * of each list is part of the task (it is what seeded splits reproduce).
 *
 * @param name the task's name, e.g. {@code "tracking_shuffled_objects_three_objects"}
 * @param train queries for online sampling (and gold answers for supervised baselines)
 * @param test held-out queries for evaluation
 * @param metadata facts about the task (source, split seed, file hash …), recorded in the run manifest
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Task(String name, List<Example> train, List<Example> test, Map<String, String> metadata) {
    public Task {
        Objects.requireNonNull(name, "name");
        train = List.copyOf(train);
        test = List.copyOf(test);
        metadata = Map.copyOf(metadata);
        var ids = new HashSet<String>();
        for (var e : train) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("task " + name + ": duplicate example id " + e.id());
            }
        }
        for (var e : test) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("task " + name + ": duplicate example id " + e.id());
            }
        }
    }

    /** The examples of one split. */
    public List<Example> split(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case TEST -> test;
        };
    }

    /** The two splits of a task. */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum Split {
        TRAIN,
        TEST
    }
}
