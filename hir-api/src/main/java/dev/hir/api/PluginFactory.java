package dev.hir.api;

/**
 * Creates instances of one named plugin from its configuration. Each plugin kind has its own sub-interface
 * ({@link PolicyFactory}, {@link FeedbackFactory}, {@link RelabelingFactory}, {@link TaskLoaderFactory},
 * {@link GeneratorFactory}); a plugin implements that sub-interface and lists its class in
 * {@code META-INF/services/<sub-interface name>}.
 *
 * <p>Contract:
 * <ul>
 *   <li>A public no-argument constructor (for {@link java.util.ServiceLoader}).</li>
 *   <li>{@link #name()} is the identifier users write in run configurations: lower case, digits and
 *       dashes ({@code [a-z0-9][a-z0-9-]*}), unique within its kind.</li>
 *   <li>{@link #configType()} is a record. The core binds it from the run configuration with Jackson,
 *       rejecting unknown keys, so a plugin needs no Jackson or Guice. Keys absent from the
 *       configuration arrive as {@code null} (or 0/false for primitives): the record's compact constructor
 *       substitutes the plugin's defaults and rejects invalid values with {@link InvalidInputException}
 *       naming the field (the core prefixes the path of the plugin's section).</li>
 *   <li>{@link #create} is called from one thread; the caller owns (and closes, where it applies) the
 *       instance.</li>
 * </ul>
 *
 * @param <C> the configuration record
 * @param <T> what the factory creates
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PluginFactory<C extends Record, T> {

    /** The plugin's name, e.g. {@code "exact-match"}. */
    String name();

    /** A one-line description for {@code hir plugins}. */
    default String description() {
        return "";
    }

    /** The plugin's configuration record type. */
    Class<C> configType();

    /** Creates an instance from a bound, validated configuration. */
    T create(C config, PluginContext context);
}
