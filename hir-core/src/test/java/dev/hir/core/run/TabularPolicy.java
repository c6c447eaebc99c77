package dev.hir.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.Continuation;
import dev.hir.api.Generation;
import dev.hir.api.GenerationConfig;
import dev.hir.api.Objective;
import dev.hir.api.TrainablePolicy;
import dev.hir.api.TrainingSequence;
import dev.hir.api.TrainingStats;
import dev.hir.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A real but tiny learner for testing the loop without a neural engine: per prompt, a softmax over a
 * fixed set of candidate outputs, trained by gradient descent on the weighted NLL of the batch's targets.
 * It learns only prompts it has seen, which is enough to watch a loop raise accuracy.
 */
public final class TabularPolicy implements TrainablePolicy {
    static final List<String> CANDIDATES = List.of(" (A)", " (B)", " (C)", " ???");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, double[]> logits = new TreeMap<>();
    private final double learningRate;
    private final long sleepPerStepMillis;
    private long steps;

    public TabularPolicy(double learningRate, long sleepPerStepMillis) {
        this.learningRate = learningRate;
        this.sleepPerStepMillis = sleepPerStepMillis;
    }

    private double[] row(String prompt) {
        return logits.computeIfAbsent(prompt, p -> new double[CANDIDATES.size()]);
    }

    private static double[] softmax(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / temperature - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Override
    public List<List<Generation>> generate(List<String> prompts, GenerationConfig config) {
        var out = new ArrayList<List<Generation>>();
        for (int i = 0; i < prompts.size(); i++) {
            double[] z = row(prompts.get(i)).clone();
            double[] p = softmax(z, 1.0);
            double[] q = softmax(z, config.temperature());
            Random r = new Random(config.seed() * 31 + i);
            var samples = new ArrayList<Generation>();
            for (int n = 0; n < config.numReturnSequences(); n++) {
                int pick = 0;
                if (config.doSample()) {
                    double u = r.nextDouble();
                    double acc = 0;
                    for (pick = 0; pick < q.length - 1; pick++) {
                        acc += q[pick];
                        if (u < acc) {
                            break;
                        }
                    }
                } else {
                    for (int k = 1; k < p.length; k++) {
                        if (p[k] > p[pick]) {
                            pick = k;
                        }
                    }
                }
                samples.add(new Generation(CANDIDATES.get(pick), 2, Math.log(p[pick]), Generation.FinishReason.END_OF_SEQUENCE));
            }
            out.add(samples);
        }
        return out;
    }

    @Override
    public double[] logProbs(List<Continuation> continuations) {
        double[] out = new double[continuations.size()];
        for (int i = 0; i < out.length; i++) {
            Continuation c = continuations.get(i);
            int k = CANDIDATES.indexOf(c.continuation());
            out[i] = c.continuation().isEmpty() ? 0.0 : k < 0 ? -50.0 : Math.log(softmax(row(c.prompt()), 1.0)[k]);
        }
        return out;
    }

    @Override
    public List<String> tokenPieces(String text) {
        return text.codePoints().mapToObj(Character::toString).toList();
    }

    @Override
    public TrainingStats train(List<TrainingSequence> batch, Objective objective) {
        double loss = 0;
        for (TrainingSequence s : batch) {
            int k = CANDIDATES.indexOf(s.target());
            if (k < 0) {
                continue;
            }
            double[] z = row(s.prompt());
            double[] p = softmax(z, 1.0);
            loss += -Math.log(p[k]) * s.weight();
            for (int j = 0; j < z.length; j++) {
                z[j] -= learningRate * s.weight() * (p[j] - (j == k ? 1 : 0));
            }
        }
        steps++;
        if (sleepPerStepMillis > 0) {
            try {
                Thread.sleep(sleepPerStepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double mean = batch.isEmpty() ? 0 : loss / batch.size();
        return new TrainingStats(mean, Map.of(objective.name(), mean), 2L * batch.size(), learningRate, 0.0);
    }

    @Override
    public void save(Path directory) {
        ObjectNode root = JSON.createObjectNode();
        root.put("steps", steps);
        ObjectNode table = root.putObject("logits");
        logits.forEach((k, v) -> {
            ArrayNode a = table.putArray(k);
            for (double d : v) {
                a.add(d);
            }
        });
        try {
            Path tmp = directory.resolveSibling(directory.getFileName() + ".tmp");
            AtomicFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
            Files.writeString(tmp.resolve("table.json"), root.toString(), StandardCharsets.UTF_8);
            AtomicFiles.move(tmp, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(Path directory) {
        try {
            var root = JSON.readTree(Files.readString(directory.resolve("table.json")));
            steps = root.get("steps").asLong();
            logits.clear();
            root.get("logits").fields().forEachRemaining(e -> {
                double[] v = new double[CANDIDATES.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = e.getValue().get(i).asDouble();
                }
                logits.put(e.getKey(), v);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {}
}
