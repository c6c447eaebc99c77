package dev.hir.core.run;

import dev.hir.api.Generation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Identical samples of one query merged into one buffer record, as the reference code's {@code set()}
 * does; without deduplication every sample is its own group.
 *
 * @param output the sampled text
 * @param count how many samples produced it
 * @param tokens the tokens those samples generated together
 * @param logProb the log-probability of the output (the same for every identical sample)
 */
record SampleGroup(String output, int count, long tokens, double logProb) {

    static List<SampleGroup> of(List<Generation> samples, boolean deduplicate) {
        if (!deduplicate) {
            return samples.stream().map(g -> new SampleGroup(g.text(), 1, g.tokens(), g.logProb())).toList();
        }
        var byText = new LinkedHashMap<String, SampleGroup>();
        for (Generation g : samples) {
            byText.merge(g.text(), new SampleGroup(g.text(), 1, g.tokens(), g.logProb()),
                    (a, b) -> new SampleGroup(a.output(), a.count() + 1, a.tokens() + b.tokens(), a.logProb()));
        }
        return new ArrayList<>(byText.values());
    }
}
