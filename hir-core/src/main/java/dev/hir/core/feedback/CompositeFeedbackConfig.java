package dev.hir.core.feedback;

import dev.hir.api.InvalidInputException;
import dev.hir.core.config.PluginSpec;
import java.util.List;

/**
 * Configuration of the {@code composite} feedback.
 *
 * <pre>
 * feedback:
 *   type: composite
 *   components:
 *     - {type: exact-match, weight: 0.5}
 *     - {type: regex, weight: 0.5, pattern: "\\(([A-Z])\\)", name: format}
 *   correct_when: all        # all | score
 *   threshold: 1.0           # used by correct_when: score
 *   malformed_when: any      # any | all | never
 * </pre>
 *
 * Each component is a section of another feedback plugin, found by its {@code type} and bound strictly
 * to that plugin's configuration; the composite takes two keys out of it first, so component plugins
 * cannot have keys of these names:
 * <ul>
 *   <li>{@code weight} — a number ≥ 0 (default 1); weights are normalized to sum to 1;</li>
 *   <li>{@code name} — the component's name in reasons and in {@link dev.hir.api.Feedback#components()}
 *       (default: its type; required to tell two components of the same type apart).</li>
 * </ul>
 * The configuration is checked, components included, when it is bound, so errors name the field:
 * {@code feedback.components[1].weight}, {@code feedback.components[0].pattern}.
 *
 * @param components the component sections (at least one)
 * @param correctWhen {@code all} (default): correct iff every component says correct;
 *     {@code score}: correct iff the weighted score is at least {@code threshold}
 * @param threshold the score an output needs with {@code correct_when: score}, in (0, 1] (default 1.0)
 * @param malformedWhen when the composite says malformed (default {@code any} component does); a
 *     malformed output scores 0, whatever its components scored
 */
public record CompositeFeedbackConfig(
        List<PluginSpec> components,
        CorrectWhen correctWhen,
        Double threshold,
        MalformedWhen malformedWhen) {

    public CompositeFeedbackConfig {
        if (components == null) {
            throw new InvalidInputException("components", "missing: list the feedback plugins to combine, e.g. [{type: exact-match}]");
        }
        components = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(components));
        correctWhen = correctWhen == null ? CorrectWhen.ALL : correctWhen;
        threshold = threshold == null ? 1.0 : threshold;
        malformedWhen = malformedWhen == null ? MalformedWhen.ANY : malformedWhen;
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            throw new InvalidInputException("threshold", "must be in (0, 1], got " + threshold);
        }
        // Bound here, not only in create(), so that mistakes inside components are reported with their path.
        ComponentSpecs.bind(components);
    }
}
