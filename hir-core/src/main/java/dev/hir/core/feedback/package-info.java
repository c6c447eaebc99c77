/**
 * Feedback plugins that belong to the core because they combine other plugins: {@code composite}
 * finds its components by name among the installed feedback plugins.
 */
package dev.hir.core.feedback;
