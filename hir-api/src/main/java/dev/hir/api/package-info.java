/**
 * The HIR plugin SPI: the values that flow through a Hindsight Instruction Relabeling run and the small
 * interfaces that plugins implement.
 *
 * <p>A plugin contributes one {@link dev.hir.api.PluginFactory} per kind it provides
 * ({@link dev.hir.api.PolicyFactory}, {@link dev.hir.api.FeedbackFactory},
 * {@link dev.hir.api.RelabelingFactory}, {@link dev.hir.api.TaskLoaderFactory},
 * {@link dev.hir.api.GeneratorFactory}) and lists it in {@code META-INF/services/<interface name>}.
 * The core discovers factories with {@link java.util.ServiceLoader}, binds each plugin's configuration
 * record from the run configuration (unknown keys are rejected) and calls
 * {@link dev.hir.api.PluginFactory#create}.
 *
 * <p>General contracts, unless a type says otherwise:
 * <ul>
 *   <li>No method accepts or returns {@code null}; absent values are {@link java.util.Optional} or empty
 *       collections. Records reject {@code null} components with {@link NullPointerException}.</li>
 *   <li>Collections in records are copied on construction and unmodifiable.</li>
 *   <li>A user mistake (bad file, bad configuration value) is reported with
 *       {@link dev.hir.api.InvalidInputException}, naming the file, line or field.</li>
 *   <li>This package depends on nothing but the JDK.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
package dev.hir.api;
