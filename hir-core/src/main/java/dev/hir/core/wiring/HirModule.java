package dev.hir.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.util.Modules;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.PluginContext;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.Task;
import dev.hir.api.TaskLoader;
import dev.hir.api.TrainablePolicy;
import dev.hir.core.config.PluginSpec;
import dev.hir.core.config.RunConfig;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RunPluginContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Binds a run: its configuration, the plugin registry, the configured plugins and the core services.
 * Users replace any binding with their own module through {@link #injector}'s overrides, the one
 * override point ({@code Modules.override}).
 */
public final class HirModule extends AbstractModule {
    private final RunConfig config;
    private final Path baseDirectory;
    private final Optional<Path> runDirectory;
    private final PluginRegistry registry;

    public HirModule(RunConfig config, Path baseDirectory, Optional<Path> runDirectory, PluginRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** An injector for a run, with the user's modules overriding the defaults. */
    public static Injector injector(HirModule defaults, Module... overrides) {
        return Guice.createInjector(Modules.override(defaults).with(overrides));
    }

    @Override
    protected void configure() {
        bind(RunConfig.class).toInstance(config);
        bind(PluginRegistry.class).toInstance(registry);
    }

    @Provides
    @Singleton
    PluginContext pluginContext() {
        return new RunPluginContext(config.seed(), baseDirectory, runDirectory, config.computeThreads());
    }

    @Provides
    @Singleton
    PluginInstantiator instantiator(PluginRegistry registry, PluginContext context) {
        return new PluginInstantiator(registry, context);
    }

    @Provides
    @Singleton
    TaskLoader taskLoader(PluginInstantiator plugins, RunConfig config) {
        return plugins.create(PluginKind.TASK_LOADER, config.task(), "task", TaskLoader.class);
    }

    @Provides
    @Singleton
    Task task(TaskLoader loader) {
        return loader.load();
    }

    @Provides
    @Singleton
    FeedbackFunction feedback(PluginInstantiator plugins, RunConfig config) {
        return plugins.create(PluginKind.FEEDBACK, config.feedback(), "feedback", FeedbackFunction.class);
    }

    @Provides
    @Singleton
    List<RelabelingStrategy> relabeling(PluginInstantiator plugins, RunConfig config) {
        var strategies = new ArrayList<RelabelingStrategy>();
        List<PluginSpec> specs = config.relabeling();
        for (int i = 0; i < specs.size(); i++) {
            strategies.add(plugins.create(PluginKind.RELABELING, specs.get(i), "relabeling[" + i + "]", RelabelingStrategy.class));
        }
        return List.copyOf(strategies);
    }

    @Provides
    @Singleton
    TrainablePolicy policy(PluginInstantiator plugins, RunConfig config) {
        return plugins.create(PluginKind.POLICY, config.policy(), "policy", TrainablePolicy.class);
    }
}
