package dev.hir.examples.relabel;

import dev.hir.api.Episode;
import dev.hir.api.InvalidInputException;
import dev.hir.api.PluginContext;
import dev.hir.api.RelabelingFactory;
import dev.hir.api.RelabelingStrategy;
import dev.hir.api.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example of a custom relabeling plugin, written against {@code hir-api} alone: for multiple-choice
 * queries, any output that names an option satisfies the instruction "Answer with option (X)." for the
 * option it named — a goal it reached in hindsight, whether or not it was the right one. The other
 * options' instructions are its contrast. Outputs that name no option yield nothing.
 *
 * <p>Use it in a run configuration as {@code relabeling: [{type: hindsight-binary}, {type: option-hindsight}]}.
 */
public final class OptionHindsightFactory implements RelabelingFactory<OptionHindsightFactory.Config> {
    private static final Pattern LETTER = Pattern.compile("^\\s*\\(?([A-Z])\\)?");

    /**
     * @param template the instruction; {@code {option}} is replaced by "(X)"
     * @param weight the weight of the examples it yields, relative to the other strategies'
     */
    public record Config(String template, Double weight) {
        public Config {
            template = template == null ? "Answer with option {option}." : template;
            weight = weight == null ? 0.5 : weight;
            if (!template.contains("{option}")) {
                throw new InvalidInputException("template", "must contain {option}, got '" + template + "'");
            }
            if (!(weight >= 0) || weight.isInfinite()) {
                throw new InvalidInputException("weight", "must be a finite number >= 0, got " + weight);
            }
        }
    }

    @Override
    public String name() {
        return "option-hindsight";
    }

    @Override
    public String description() {
        return "example plugin: relabel a multiple-choice output with 'Answer with option (X).' for the option it named";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public RelabelingStrategy create(Config config, PluginContext context) {
        return (episode, ctx) -> relabel(config, episode);
    }

    private static List<TrainingExample> relabel(Config config, Episode episode) {
        int options = episode.example().options().size();
        Matcher m = LETTER.matcher(episode.output());
        if (options == 0 || !m.find() || m.group(1).charAt(0) - 'A' >= options) {
            return List.of();
        }
        char chosen = m.group(1).charAt(0);
        var contrast = new ArrayList<String>();
        for (int i = 0; i < options; i++) {
            char c = (char) ('A' + i);
            if (c != chosen) {
                contrast.add(instruction(config, c));
            }
        }
        return List.of(new TrainingExample(instruction(config, chosen), contrast, episode.example(), "",
                episode.output(), true, config.weight() * episode.count()));
    }

    private static String instruction(Config config, char letter) {
        return config.template().replace("{option}", "(" + letter + ")");
    }
}
