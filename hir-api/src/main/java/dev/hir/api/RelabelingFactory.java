package dev.hir.api;

/**
 * Factory of a relabeling strategy, e.g. {@code hindsight-binary}.
 *
 * @param <C> the configuration record
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RelabelingFactory<C extends Record> extends PluginFactory<C, RelabelingStrategy> {}
