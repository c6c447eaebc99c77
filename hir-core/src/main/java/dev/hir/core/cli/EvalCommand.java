package dev.hir.core.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.Example;
import dev.hir.api.FeedbackFunction;
import dev.hir.api.GenerationConfig;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Policy;
import dev.hir.api.Task;
import dev.hir.core.config.PluginSpec;
import dev.hir.core.config.RunConfig;
import dev.hir.core.eval.EvaluationResult;
import dev.hir.core.eval.Evaluator;
import dev.hir.core.plugin.PluginInstantiator;
import dev.hir.core.plugin.PluginKind;
import dev.hir.core.plugin.PluginRegistry;
import dev.hir.core.plugin.RunPluginContext;
import dev.hir.core.progress.ProgressBar;
import dev.hir.core.tasks.TaskResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** {@code hir eval}: greedy accuracy of a checkpoint on a task's split. */
final class EvalCommand extends Command {
    @Override
    String name() {
        return "eval";
    }

    @Override
    String summary() {
        return "accuracy of a checkpoint on a task (greedy decoding, the paper's exact match by default)";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR").required()
                        .desc("checkpoint folder (config.json, model.safetensors, tokenizer.json) or a shipped model name").build())
                .addOption(Option.builder().longOpt("task").hasArg().argName("NAME").required()
                        .desc("task name as `hir tasks` lists it (optionally LOADER:NAME); several separated by commas; LOADER:all for every task of a loader").build())
                .addOption(Option.builder().longOpt("split").hasArg().argName("SPLIT")
                        .desc("test (default) or train").build())
                .addOption(Option.builder().longOpt("feedback").hasArg().argName("NAME")
                        .desc("feedback plugin that judges outputs (default exact-match)").build())
                .addOption(Option.builder().longOpt("policy").hasArg().argName("NAME")
                        .desc("policy plugin that loads the checkpoint (default pytorch)").build())
                .addOption(Option.builder().longOpt("limit").hasArg().argName("N")
                        .desc("evaluate at most N examples").build())
                .addOption(Option.builder().longOpt("max-new-tokens").hasArg().argName("N")
                        .desc("longest output (default 32)").build())
                .addOption(Option.builder().longOpt("show").hasArg().argName("N")
                        .desc("print the first N outputs").build());
    }

    @Override
    int run(CommandLine line, PrintStream out, PrintStream err) {
        try {
            return evaluate(line, out, err);
        } catch (ParseException e) {
            throw new InvalidInputException("--" + "options", e.getMessage());
        }
    }

    private int evaluate(CommandLine line, PrintStream out, PrintStream err) throws ParseException {
        String splitName = line.getOptionValue("split", "test").toLowerCase(Locale.ROOT);
        Task.Split split = switch (splitName) {
            case "test" -> Task.Split.TEST;
            case "train" -> Task.Split.TRAIN;
            default -> throw new InvalidInputException("--split", "expected test or train, got '" + splitName + "'");
        };
        int limit = intOption(line, "limit", 0);
        int maxNewTokens = intOption(line, "max-new-tokens", 32);
        int show = intOption(line, "show", 0);
        if (maxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens", "must be >= 1");
        }
        PluginRegistry registry = PluginRegistry.discover();
        var context = new RunPluginContext(1L, Path.of("").toAbsolutePath(), Optional.empty(),
                Math.min(2, Runtime.getRuntime().availableProcessors()));
        var plugins = new PluginInstantiator(registry, context);

        var resolver = new TaskResolver(registry, context);
        List<String> taskNames = resolver.expand(line.getOptionValue("task"), "--task");
        // Every task loads before the model does, so a mistyped name costs nothing.
        var tasks = new ArrayList<Task>();
        for (String name : taskNames) {
            tasks.add(resolver.loader(name, "--task").load());
        }
        FeedbackFunction feedback = plugins.create(PluginKind.FEEDBACK,
                PluginSpec.of(line.getOptionValue("feedback", "exact-match")), "--feedback", FeedbackFunction.class);
        String checkpoint = line.getOptionValue("checkpoint");
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("checkpoint", checkpoint);
        var spec = new PluginSpec(line.getOptionValue("policy", "pytorch"), settings);
        var instructions = new RunConfig.Instructions(null, null, null);
        double sum = 0;
        try (Policy policy = plugins.create(PluginKind.POLICY, spec, "--policy", Policy.class)) {
            for (Task task : tasks) {
                List<Example> examples = task.split(split);
                if (limit > 0 && examples.size() > limit) {
                    examples = examples.subList(0, limit);
                }
                Evaluator.referencesLongerThan(policy, examples, maxNewTokens).ifPresent(why -> err.printf(Locale.ROOT,
                        "warning: task %s: %s; raise --max-new-tokens%n", task.name(), why));
                EvaluationResult r;
                try (ProgressBar bar = ProgressBar.stderr("eval", examples.size())) {
                    r = new Evaluator(new RunConfig.Evaluation(null, null, null, null, null).batchSize()).evaluate(policy, examples, feedback,
                            e -> instructions.prompt(instructions.sampling(), e.input()),
                            GenerationConfig.greedy(maxNewTokens).withStopStrings(List.of("\n")), null, bar);
                }
                sum += r.accuracy();
                out.printf(Locale.ROOT, "task %s, split %s: accuracy %.4f (%d/%d correct, %d malformed) in %.1fs%n",
                        task.name(), splitName, r.accuracy(), r.correct(), r.examples(), r.malformed(), r.seconds());
                for (int i = 0; i < Math.min(show, r.outputs().size()); i++) {
                    var o = r.outputs().get(i);
                    out.printf(Locale.ROOT, "  %s [%s] %s%n", o.exampleId(), o.verdict(), o.output().replace("\n", "\\n"));
                }
            }
        }
        if (tasks.size() > 1) {
            out.printf(Locale.ROOT, "mean accuracy over %d tasks: %.4f%n", tasks.size(), sum / tasks.size());
        }
        return HirCli.OK;
    }
}
