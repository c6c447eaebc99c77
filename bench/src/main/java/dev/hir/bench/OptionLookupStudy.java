package dev.hir.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.hir.api.Example;
import dev.hir.api.Objective;
import dev.hir.api.TrainingStats;
import dev.hir.bigbench.BbhFiles;
import dev.hir.bigbench.generate.LogicalDeductionGenerator;
import dev.hir.core.config.RunConfig;
import dev.hir.core.relabel.Variant;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import dev.hir.pytorch.tokenizer.HfTextTokenizer;
import dev.hir.pytorch.train.EncodedSequence;
import dev.hir.pytorch.train.OptimizerConfig;
import dev.hir.pytorch.train.Trainer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Can the mini-flan model learn the in-context option look-up that logical deduction, date understanding,
 * penguins and colored objects need (find the option that names the object a statement is about, answer its
 * letter)? Trains the mini-flan architecture (4 layers, d=128, the mini-flan tokenizer; {@code --layers} and
 * {@code --width} change the size, with 4 heads) from scratch on batches
 * of 32 under NLL on the answer, and logs greedy letter accuracy on 200 held-out examples every 200 steps.
 *
 * <p>Modes: {@code ld0}, logical deduction (three objects) at its copy level (one statement names the asked
 * position outright); {@code lookup}, a synthetic look-up ("Options: (A) The crow ... Which option is the crow?"),
 * with {@code --options lo-hi} options; {@code mix}, half of each batch from each. Issue 7, docs/base-model.md.
 *
 * <p>{@code --objects 3,5,7} and {@code --ld-levels 0,1} draw the logical-deduction examples (training and
 * held-out) from those object counts and curriculum levels, uniformly (default: three objects, level 0). With
 * {@code --real-every N} the model is also scored every N steps on the first {@code --real-limit} real BBH
 * examples of logical deduction with 3, 5 and 7 objects (from {@code -Dbbh.dir}), in the same prompt, the
 * letter chosen among the example's options; the log splits each score into the examples whose answer is a
 * sentence of the paragraph word for word (what the look-up alone can answer) and the rest.
 *
 * <p>Usage: {@code OptionLookupStudy --mode ld0|lookup|mix --minutes 30 [--steps N] --seed 1 --tokenizer
 * models/presets/mini-flan-tokenizer.json [--options 3-7] [--prompt plain|recipe|TEMPLATE] [--wrong-share X]
 * [--lr 1e-3] [--positions random|sinusoidal] [--layers 4] [--width 128] [--objects 3] [--ld-levels 0]
 * [--real-every N] [--real-limit 100] --out FILE.log}, with
 * {@code -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1} (two runs side by side then use
 * the two cores).
 */
public final class OptionLookupStudy {
    private static final String[] WORDS = ("raven crow hummingbird owl robin falcon quail jay cardinal hawk "
            + "tractor hatchback convertible bus sedan truck limousine minivan motorcycle wagon "
            + "apple peach orange mango plum kiwi pear watermelon loquat cantaloupe "
            + "red green blue brown white black gray yellow purple pink "
            + "Amy Eli Eve Ana Rob Mya Joe Dan Mel Ada Ron").split(" ");
    private static final int BATCH = 32;
    private static final int EVAL_EXAMPLES = 200;
    private static final int EVAL_EVERY = 200;

    private OptionLookupStudy() {}

    public static void main(String[] args) throws Exception {
        String mode = arg(args, "--mode", "ld0");
        double minutes = Double.parseDouble(arg(args, "--minutes", "30"));
        long seed = Long.parseLong(arg(args, "--seed", "1"));
        String[] range = arg(args, "--options", "3-7").split("-");
        int lo = Integer.parseInt(range[0]);
        int hi = Integer.parseInt(range[range.length - 1]);
        long maxSteps = Long.parseLong(arg(args, "--steps", String.valueOf(Long.MAX_VALUE)));
        Prompt format = Prompt.of(arg(args, "--prompt", "plain"));
        double wrongShare = Double.parseDouble(arg(args, "--wrong-share", "0"));
        double learningRate = Double.parseDouble(arg(args, "--lr", "1e-3"));
        String positions = arg(args, "--positions", "random");
        int layers = Integer.parseInt(arg(args, "--layers", "4"));
        int width = Integer.parseInt(arg(args, "--width", "128"));
        List<Integer> objects = Arrays.stream(arg(args, "--objects", "3").split(",")).map(Integer::valueOf).toList();
        List<Integer> ldLevels = Arrays.stream(arg(args, "--ld-levels", "0").split(",")).map(Integer::valueOf).toList();
        int realEvery = Integer.parseInt(arg(args, "--real-every", "0"));
        int realLimit = Integer.parseInt(arg(args, "--real-limit", "100"));
        if (!List.of("ld0", "lookup", "mix").contains(mode) || lo < 2 || hi < lo || hi > 7
                || wrongShare < 0 || wrongShare >= 1 || (wrongShare > 0 && !format.template().contains("{instruction}"))
                || !format.template().contains("{input}") || !List.of("random", "sinusoidal").contains(positions)
                || layers < 1 || width < 4 || width % 4 != 0 || !List.of(3, 5, 7).containsAll(objects)
                || ldLevels.stream().anyMatch(l -> l < 0 || l > 2) || realEvery < 0 || realLimit < 1) {
            System.err.println("usage: --mode ld0|lookup|mix --minutes M [--steps N] --seed S --tokenizer FILE [--options 2..7]"
                    + " [--prompt plain|recipe|TEMPLATE] [--wrong-share X (with {instruction})] [--lr 1e-3]"
                    + " [--positions random|sinusoidal] [--layers 4] [--width 128 (4 heads)] [--objects 3,5,7]"
                    + " [--ld-levels 0,1,2] [--real-every N] [--real-limit 100] --out FILE");
            System.exit(2);
        }
        Path out = Path.of(arg(args, "--out", "option-lookup.log"));
        try (PrintStream log = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8);
                HfTextTokenizer tok = HfTextTokenizer.load(Path.of(arg(args, "--tokenizer", "models/presets/mini-flan-tokenizer.json")),
                        Optional.empty());
                NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2Model.random(Gpt2Config.of(layers, width, 4, 384, tok.vocabSize(), tok.endOfSequenceId()), seed, manager,
                        positions.equals("sinusoidal"));
                // The optimizer of models/presets/mini-flan.yaml (constant rate after warm-up).
                Trainer trainer = new Trainer(model, new OptimizerConfig(learningRate, 0.9, 0.98, 1e-8, 0.01, 1.0, "constant", 200, null, 8))) {
            LdSource ld = new LdSource(objects, ldLevels);
            Random held = new Random(1007);
            List<String[]> evalLd = new ArrayList<>();
            List<String[]> evalLookup = new ArrayList<>();
            for (int i = 0; i < EVAL_EXAMPLES; i++) {
                evalLd.add(format.pair(ld.generate(held), null));
                evalLookup.add(format.pair(lookup(held, lo, hi), null));
            }
            int[] letters = new int[7];
            for (int k = 0; k < letters.length; k++) {
                letters[k] = tok.encode((char) ('A' + k) + ")")[0];
            }
            List<RealSet> real = new ArrayList<>();
            if (realEvery > 0) {
                Path bbh = Path.of(System.getProperty(BbhFiles.DIR_PROPERTY, BbhFiles.defaultDirectory()));
                for (String n : List.of("three", "five", "seven")) {
                    String task = "logical_deduction_" + n + "_objects";
                    List<Example> all = BbhFiles.read(bbh.resolve(task + ".json"), task);
                    real.add(RealSet.of(task, all.subList(0, Math.min(realLimit, all.size())), format));
                }
            }
            log.printf(Locale.ROOT, "mode %s seed %d options %d-%d minutes %.1f prompt %s wrong-share %.2f lr %g positions %s model %dx%d"
                    + " objects %s ld-levels %s%n", mode, seed, lo, hi, minutes, format.template().replace("\n", "\\n"), wrongShare,
                    learningRate, positions, layers, width, objects, ldLevels);
            for (RealSet r : real) {
                log.printf(Locale.ROOT, "real %s: %d examples, %d answered by a sentence of the paragraph%n", r.task(),
                        r.pairs().size(), r.stated().stream().filter(b -> b).count());
            }
            Random data = new Random(seed);
            Objective nll = new Objective.Nll();
            long start = System.nanoTime();
            for (int step = 1; ; step++) {
                List<EncodedSequence> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    boolean synthetic = mode.equals("mix") ? i % 2 == 0 : mode.equals("lookup");
                    Example e = synthetic ? lookup(data, lo, hi) : ld.generate(data);
                    // The coin is drawn only when wrong answers are asked for, so that runs without them keep
                    // the data stream of the runs that predate the option.
                    String[] pair = format.pair(e, wrongShare > 0 && data.nextDouble() < wrongShare ? data : null);
                    batch.add(new EncodedSequence(tok.encode(pair[0]), tok.encode(pair[1]), List.of(), 1.0, new int[0],
                            OptionalDouble.empty(), "row" + i));
                }
                TrainingStats stats = trainer.step(batch, nll);
                double elapsed = (System.nanoTime() - start) / 60e9;
                boolean last = elapsed > minutes || step >= maxSteps;
                if (step % EVAL_EVERY == 0 || last) {
                    log.printf(Locale.ROOT, "step %d min %.1f loss %.4f ld0 %.3f lookup %.3f%n", step, elapsed,
                            stats.loss(), accuracy(model, tok, letters, evalLd), accuracy(model, tok, letters, evalLookup));
                }
                if (!real.isEmpty() && (step % realEvery == 0 || last)) {
                    StringBuilder line = new StringBuilder("real step " + step);
                    for (RealSet r : real) {
                        line.append(' ').append(r.score(model, tok, letters));
                    }
                    log.println(line);
                }
                if (last) {
                    break;
                }
            }
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /**
     * How an example becomes a prompt and its answer: a template with {@code {input}} (and {@code {instruction}}
     * for the wrong-answer share) that ends just before the answer's letter ("C)" is the answer), so that the
     * letters compete at the same place in training and evaluation. {@code plain} is the query, then "Answer: (";
     * {@code recipe} is the prompt {@code hir pretrain} shows (PAPER.md section 4): the instruction, a blank line,
     * "Q: " the query, "A: (". In a template given on the command line "\n" stands for a line break.
     */
    private record Prompt(String template) {
        /** {@code hir pretrain}'s default prompt format and instructions. */
        private static final RunConfig.Instructions RECIPE = new RunConfig.Instructions(null, null, null);

        static Prompt of(String name) {
            return new Prompt(switch (name) {
                case "plain" -> "{input}\nAnswer: (";
                case "recipe" -> RECIPE.promptTemplate() + RECIPE.answerPrefix() + "(";
                default -> name.replace("\\n", "\n");
            });
        }

        /** With a random source, under the wrong-answer instruction with a uniformly drawn wrong option. */
        String[] pair(Example e, Random wrong) {
            String letter = e.target().substring(1);
            String instruction = RECIPE.sampling();
            if (wrong != null) {
                int gold = e.goldOptionIndex().orElseThrow();
                int other = wrong.nextInt(e.options().size() - 1);
                letter = (char) ('A' + (other >= gold ? other + 1 : other)) + ")";
                instruction = Variant.WRONG;
            }
            return new String[] {template.replace("{instruction}", instruction).replace("{input}", e.input()), letter};
        }
    }

    /**
     * Logical-deduction examples from several object counts and levels, drawn uniformly; with one of each it
     * draws nothing extra, so the default repeats the data stream of the runs that predate the options.
     */
    private static final class LdSource {
        private final List<LogicalDeductionGenerator> generators;
        private final List<Integer> levels;

        LdSource(List<Integer> objects, List<Integer> levels) {
            this.generators = objects.stream().map(n -> new LogicalDeductionGenerator(n, List.of())).toList();
            this.levels = levels;
        }

        Example generate(Random r) {
            LogicalDeductionGenerator g = generators.size() == 1 ? generators.get(0) : generators.get(r.nextInt(generators.size()));
            int level = levels.size() == 1 ? levels.get(0) : levels.get(r.nextInt(levels.size()));
            return g.generate(level, r);
        }
    }

    /** Real examples of one task in the study's prompt, and which of them a paragraph sentence answers. */
    private record RealSet(String task, List<String[]> pairs, List<Integer> optionCounts, List<Boolean> stated) {
        static RealSet of(String task, List<Example> examples, Prompt format) {
            List<String[]> pairs = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            List<Boolean> stated = new ArrayList<>();
            for (Example e : examples) {
                pairs.add(format.pair(e, null));
                // BbhFiles.read has parsed the option texts, without their "(A) " prefixes
                List<String> options = e.options();
                counts.add(options.size());
                String stem = e.input().substring(0, e.input().indexOf("\nOptions:")).toLowerCase(Locale.ROOT);
                List<Integer> inStem = new ArrayList<>();
                for (int k = 0; k < options.size(); k++) {
                    String text = options.get(k).replaceFirst("\\.$", "").toLowerCase(Locale.ROOT);
                    if (stem.contains(text)) {
                        inStem.add(k);
                    }
                }
                stated.add(inStem.equals(List.of(e.target().charAt(1) - 'A')));
            }
            return new RealSet(task, pairs, counts, stated);
        }

        /** "task all (stated / rest)" accuracies. */
        String score(Gpt2Model model, HfTextTokenizer tok, int[] letters) {
            int[] right = new int[2];
            int[] total = new int[2];
            for (int i = 0; i < pairs.size(); i++) {
                int k = stated.get(i) ? 0 : 1;
                total[k]++;
                right[k] += correct(model, tok, Arrays.copyOf(letters, optionCounts.get(i)), pairs.get(i)) ? 1 : 0;
            }
            return String.format(Locale.ROOT, "%s %.3f (%.3f / %.3f)", task.replace("logical_deduction_", "LD-"),
                    (right[0] + right[1]) / (double) pairs.size(), right[0] / (double) Math.max(1, total[0]),
                    right[1] / (double) Math.max(1, total[1]));
        }
    }

    private static Example lookup(Random r, int lo, int hi) {
        int n = lo + r.nextInt(hi - lo + 1);
        List<String> pool = new ArrayList<>(Arrays.asList(WORDS));
        Collections.shuffle(pool, r);
        StringBuilder prompt = new StringBuilder("Options:");
        List<String> options = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            prompt.append("\n(").append((char) ('A' + k)).append(") The ").append(pool.get(k));
            options.add("(" + (char) ('A' + k) + ")");
        }
        int answer = r.nextInt(n);
        prompt.append("\nWhich option is the ").append(pool.get(answer)).append("?");
        return new Example("lookup", prompt.toString(), "(" + (char) ('A' + answer) + ")", options, Map.of(), List.of());
    }

    /** Greedy letter accuracy: the highest next-token logit among the letters' tokens after the prompt. */
    private static double accuracy(Gpt2Model model, HfTextTokenizer tok, int[] letters, List<String[]> pairs) {
        int right = 0;
        for (String[] pair : pairs) {
            right += correct(model, tok, letters, pair) ? 1 : 0;
        }
        return right / (double) pairs.size();
    }

    /** Whether the highest next-token logit among the letters' tokens after the prompt is the answer's. */
    private static boolean correct(Gpt2Model model, HfTextTokenizer tok, int[] letters, String[] pair) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        long[] ids = Arrays.stream(tok.encode(pair[0])).asLongStream().toArray();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager m = model.manager();
            NDArray logits = model.logits(m.create(ids, new Shape(1, ids.length)), m.ones(new Shape(1, ids.length)),
                    ids.length - 1);
            float[] v = logits.toFloatArray();
            int best = letters[0];
            for (int t : letters) {
                best = v[t] > v[best] ? t : best;
            }
            return best == tok.encode(pair[1])[0];
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
