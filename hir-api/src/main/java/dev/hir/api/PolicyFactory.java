package dev.hir.api;

/**
 * Factory of a policy (language model), e.g. {@code pytorch}. What it creates may also implement {@link TrainablePolicy} or {@link ReloadablePolicy}; the core checks for the capability a run needs.
 *
 * @param <C> the configuration record
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PolicyFactory<C extends Record> extends PluginFactory<C, Policy> {}
