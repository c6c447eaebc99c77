package dev.hir.api;

import java.util.List;

/**
 * Factory of {@link ExampleGenerator}s. One factory may serve several task families; its configuration
 * record then names the family (and the generator's knobs).
 *
 * @param <C> the configuration record
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface GeneratorFactory<C extends Record> extends PluginFactory<C, ExampleGenerator> {

    /** The task families this factory generates, e.g. {@code "word_sorting"}. */
    List<String> families();

    /**
     * The configuration of the generator of one family with its defaults.
     *
     * @throws InvalidInputException if the family is not one of {@link #families()}
     */
    C configFor(String family);
}
