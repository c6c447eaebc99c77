package dev.hir.api;

/**
 * Factory of a feedback function, e.g. {@code exact-match}.
 *
 * @param <C> the configuration record
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface FeedbackFactory<C extends Record> extends PluginFactory<C, FeedbackFunction> {}
