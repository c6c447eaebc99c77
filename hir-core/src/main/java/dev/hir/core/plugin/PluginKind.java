package dev.hir.core.plugin;

import dev.hir.api.FeedbackFactory;
import dev.hir.api.GeneratorFactory;
import dev.hir.api.PluginFactory;
import dev.hir.api.PolicyFactory;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.TaskLoaderFactory;

/** The kinds of plugin the core discovers, each with the factory interface listed in META-INF/services. */
public enum PluginKind {
    POLICY("policy", PolicyFactory.class),
    FEEDBACK("feedback", FeedbackFactory.class),
    RELABELING("relabeling", RelabelingFactory.class),
    TASK_LOADER("task", TaskLoaderFactory.class),
    GENERATOR("generator", GeneratorFactory.class);

    private final String label;
    private final Class<? extends PluginFactory<?, ?>> factoryType;

    @SuppressWarnings({"unchecked", "rawtypes"})
    PluginKind(String label, Class factoryType) {
        this.label = label;
        this.factoryType = factoryType;
    }

    /** The word users see (in configs, errors and {@code hir plugins}). */
    public String label() {
        return label;
    }

    /** The factory interface of this kind. */
    public Class<? extends PluginFactory<?, ?>> factoryType() {
        return factoryType;
    }
}
