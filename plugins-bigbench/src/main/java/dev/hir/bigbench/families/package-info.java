/**
 * Generators, with their solvers, for four BIG-Bench-Hard families whose surface is rich in templates:
 * date_understanding, geometric_shapes, penguins_in_a_table and reasoning_about_colored_objects.
 *
 * <p>Each generator writes the real data's sentences, vocabularies and option lists, draws its parameters fresh
 * for every example, and computes the gold with the same solver that reads real inputs. {@link
 * dev.hir.bigbench.families.FamilyFidelity} measures that solver and the templates on real examples. Each has
 * difficulty levels from a copy version (level 0) to the BBH distribution (the default level) and attaches
 * latent states to the spans they describe. The module's generator factory wires them in; they are not plugins
 * by themselves.
 */
package dev.hir.bigbench.families;
