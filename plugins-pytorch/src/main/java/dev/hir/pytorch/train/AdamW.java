package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW (Adam with decoupled weight decay, as {@code torch.optim.AdamW} computes it) with gradient clipping
 * by global norm, over a fixed list of parameters whose gradients a backward pass has accumulated.
 *
 * <p>DJL's own {@code AdamW} keeps its moments in private maps created on the first update, so they can be
 * neither saved nor restored; this one creates them up front, in its own manager, and {@link #save}/{@link
 * #load} them bit for bit. {@link #step} updates the parameters in place and zeroes their gradients.
 * Not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);

    /** The moments, one tensor per parameter and moment. */
    public static final String STATE_FILE = "optimizer.safetensors";
    /** The step count and the parameter shapes the state belongs to. */
    public static final String META_FILE = "optimizer.json";

    private static final String FORMAT = "hir-adamw";
    private static final int VERSION = 1;

    private final NDList parameters;
    private final OptimizerConfig config;
    private final NDManager stateManager;
    /** The parameters in groups of consecutive ones whose update runs on flat arrays. */
    private final List<Group> groups;
    // Constant scalar operands as arrays made once: an op with a Java number operand creates and frees a
    // scalar array each time, which doubles the native calls of a small update.
    private final NDArray beta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta1;
    private final NDArray oneMinusBeta2;
    private final NDArray epsilon;
    private long steps;

    /**
     * Consecutive parameters of one type and device, at most {@link #GROUP_ELEMENTS} elements unless a single
     * one is larger, with their moments in two flat arrays ({@code members} in order). The update of a group
     * is a dozen ops on flat arrays instead of a dozen per parameter: at batch 1 the optimizer is bound by the
     * number of native calls, not by arithmetic.
     */
    private static final class Group {
        final int[] members;
        final long[] sizes;
        NDArray firstMoment;
        NDArray secondMoment;

        Group(int[] members, long[] sizes) {
            this.members = members;
            this.sizes = sizes;
        }

        long elements() {
            long n = 0;
            for (long s : sizes) {
                n += s;
            }
            return n;
        }
    }

    /**
     * The most elements a group of several parameters holds: with the gradient, both moments and the
     * update's temporaries, a group's arrays stay within the CPU's caches (a few MiB), which one flat pass
     * over all parameters of a larger model would not.
     */
    static final long GROUP_ELEMENTS = 1 << 18;

    /**
     * @param parameters the parameters to update, in a fixed order (the order of the saved state)
     * @param config the hyper-parameters (the learning rate itself comes with each {@link #step})
     */
    public AdamW(NDList parameters, OptimizerConfig config) {
        this(parameters, config, GROUP_ELEMENTS);
    }

    /** An optimizer whose groups hold at most {@code groupElements} elements (tests make several groups). */
    AdamW(NDList parameters, OptimizerConfig config, long groupElements) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimize");
        }
        this.parameters = new NDList(parameters);
        this.config = config;
        this.stateManager = parameters.head().getManager().newSubManager();
        this.groups = group(this.parameters, groupElements);
        for (Group g : groups) {
            NDArray first = parameters.get(g.members[0]);
            g.firstMoment = newMoment(g.elements(), first);
            g.secondMoment = newMoment(g.elements(), first);
        }
        beta1 = scalar(config.beta1());
        beta2 = scalar(config.beta2());
        oneMinusBeta1 = scalar(1.0 - config.beta1());
        oneMinusBeta2 = scalar(1.0 - config.beta2());
        epsilon = scalar(config.epsilon());
    }

    private static List<Group> group(NDList parameters, long limit) {
        List<Group> groups = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        long elements = 0;
        for (int i = 0; i <= parameters.size(); i++) {
            NDArray p = i < parameters.size() ? parameters.get(i) : null;
            long size = p == null ? 0 : p.getShape().size();
            boolean fits = p != null && !members.isEmpty() && elements + size <= limit
                    && sameKind(p, parameters.get(members.get(0)));
            if (!members.isEmpty() && !fits) {
                int[] ids = members.stream().mapToInt(Integer::intValue).toArray();
                long[] sizes = new long[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    sizes[k] = parameters.get(ids[k]).getShape().size();
                }
                groups.add(new Group(ids, sizes));
                members.clear();
                elements = 0;
            }
            if (p != null) {
                members.add(i);
                elements += size;
            }
        }
        return groups;
    }

    private static boolean sameKind(NDArray a, NDArray b) {
        return a.getDataType() == b.getDataType() && a.getDevice().equals(b.getDevice());
    }

    private NDArray newMoment(long elements, NDArray like) {
        NDArray moment = stateManager.zeros(new Shape(elements), like.getDataType(), like.getDevice());
        // The moments outlive whatever step scope is open when the optimizer is created.
        NDScope.unregister(moment);
        return moment;
    }

    /**
     * A scalar operand that lives as long as the optimizer. Double, as DJL makes the operand of an op with a
     * Java number: the kernel converts it to the parameters' type the same way.
     */
    private NDArray scalar(double value) {
        NDArray s = stateManager.create(value);
        NDScope.unregister(s);
        return s;
    }

    /** Optimizer steps taken (the bias-correction count); restored by {@link #load}. */
    public long steps() {
        return steps;
    }

    /** The hyper-parameters. */
    public OptimizerConfig config() {
        return config;
    }

    /**
     * Clips the accumulated gradients to the configured global norm, applies one AdamW update at this
     * learning rate, and zeroes the gradients.
     *
     * <p>When the gradient norm is not finite, the parameters and moments are left unchanged and the step
     * is not counted; the gradients are still zeroed.
     *
     * @param learningRate this step's learning rate
     * @return the global gradient norm before clipping
     */
    public double step(double learningRate) {
        // In-place updates of parameters that require gradients are only allowed with grad mode off. DJL
        // turns it off on the thread that loaded the engine only; other threads start with it on.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> gradients = new ArrayList<>(parameters.size());
            // Summed tensor by tensor in parameter order, in the parameters' type, so the norm (and the
            // clipped update) is the same to the last bit whatever the grouping.
            NDArray sumOfSquares = null;
            for (NDArray p : parameters) {
                NDArray g = p.getGradient();
                gradients.add(g);
                NDArray s = g.square().sum();
                sumOfSquares = sumOfSquares == null ? s : sumOfSquares.addi(s);
            }
            double norm = Math.sqrt(sumOfSquares.toType(DataType.FLOAT64, false).getDouble());
            if (Double.isFinite(norm)) {
                update(gradients, norm, learningRate);
            } else {
                LOG.warn("gradient norm {} after {} steps: update skipped, gradients zeroed", norm, steps);
            }
            for (NDArray p : parameters) {
                // zero_ in place, not g.subi(g): a NaN gradient would stay NaN.
                JniUtils.zeroGrad((PtNDArray) p);
            }
            return norm;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update(List<NDArray> gradients, double norm, double learningRate) {
        double clip = config.gradientClip();
        // This step's scalars belong to the step's scope.
        NDManager scalars = parameters.head().getManager();
        NDArray scale = clip > 0.0 && norm > clip ? scalars.create(clip / (norm + 1e-6)) : null;
        steps++;
        double biasCorrection1 = 1.0 - Math.pow(config.beta1(), steps);
        NDArray biasCorrection2Root = scalars.create(Math.sqrt(1.0 - Math.pow(config.beta2(), steps)));
        NDArray stepSize = scalars.create(learningRate / biasCorrection1);
        NDArray decay = config.weightDecay() > 0.0 ? scalars.create(1.0 - learningRate * config.weightDecay()) : null;
        for (Group group : groups) {
            NDArray g = flat(group, gradients);
            if (scale != null) {
                g.muli(scale);
            }
            // The arithmetic of torch.optim.AdamW, op for op as a per-tensor update would run it: each
            // element sees the same roundings, so grouping changes no bit of the result.
            NDArray m = group.firstMoment;
            NDArray v = group.secondMoment;
            m.muli(beta1).addi(g.mul(oneMinusBeta1));
            v.muli(beta2).addi(g.square().muli(oneMinusBeta2));
            NDArray denominator = v.sqrt().divi(biasCorrection2Root).addi(epsilon);
            NDArray delta = m.div(denominator).muli(stepSize);
            NDList pieces = group.members.length == 1 ? new NDList(delta) : JniUtils.split((PtNDArray) delta, group.sizes, 0);
            for (int k = 0; k < group.members.length; k++) {
                NDArray p = parameters.get(group.members[k]);
                if (decay != null && p.getShape().dimension() >= 2) {
                    p.muli(decay);
                }
                p.subi(pieces.get(k).reshape(p.getShape()));
            }
        }
    }

    /**
     * A group's arrays (gradients or moments, in member order) as one flat array: a view for a single member,
     * else a new array. The clip may scale it in place, like the gradients it comes from, which are zeroed
     * after the step.
     */
    private static NDArray flat(Group group, List<NDArray> arrays) {
        PtNDArray[] parts = new PtNDArray[group.members.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = (PtNDArray) arrays.get(group.members[k]).reshape(-1);
        }
        return parts.length == 1 ? parts[0] : JniUtils.cat(parts, 0);
    }

    /**
     * Writes the moments to {@value #STATE_FILE} and the step count to {@value #META_FILE} in an existing
     * directory.
     */
    public void save(Path directory) {
        Path stateFile = directory.resolve(STATE_FILE);
        try (NDScope scope = new NDScope(); OutputStream out = Files.newOutputStream(stateFile)) {
            scope.suppressNotUsedWarning();
            NDArray[] first = perParameter(g -> g.firstMoment);
            NDArray[] second = perParameter(g -> g.secondMoment);
            NDList state = new NDList();
            for (int i = 0; i < parameters.size(); i++) {
                state.add(named(first[i], "exp_avg." + i));
                state.add(named(second[i], "exp_avg_sq." + i));
            }
            state.encode(out, NDList.Encoding.SAFETENSORS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + stateFile + ": " + e.getMessage(), e);
        }
        try {
            Files.writeString(directory.resolve(META_FILE), metadata(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + directory.resolve(META_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Views of one moment of every parameter, in the parameters' shapes, cut from the groups' flat arrays. */
    private NDArray[] perParameter(Function<Group, NDArray> moment) {
        NDArray[] out = new NDArray[parameters.size()];
        for (Group group : groups) {
            NDArray flat = moment.apply(group);
            NDList pieces = group.members.length == 1 ? new NDList(flat) : JniUtils.split((PtNDArray) flat, group.sizes, 0);
            for (int k = 0; k < group.members.length; k++) {
                int i = group.members[k];
                out[i] = pieces.get(k).reshape(parameters.get(i).getShape());
            }
        }
        return out;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private String metadata() {
        StringBuilder json = new StringBuilder(256);
        json.append("{\n  \"format\": \"").append(FORMAT).append("\",\n  \"version\": ").append(VERSION)
                .append(",\n  \"steps\": ").append(steps).append(",\n  \"parameters\": [");
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            json.append(i == 0 ? "\n    " : ",\n    ").append("{\"shape\": [");
            long[] shape = p.getShape().getShape();
            for (int d = 0; d < shape.length; d++) {
                json.append(d == 0 ? "" : ", ").append(shape[d]);
            }
            json.append("], \"dtype\": \"").append(p.getDataType().name().toLowerCase(Locale.ROOT)).append("\"}");
        }
        json.append("\n  ],\n  \"config\": {")
                .append("\"learningRate\": ").append(config.learningRate())
                .append(", \"beta1\": ").append(config.beta1())
                .append(", \"beta2\": ").append(config.beta2())
                .append(", \"epsilon\": ").append(config.epsilon())
                .append(", \"weightDecay\": ").append(config.weightDecay())
                .append(", \"gradientClip\": ").append(config.gradientClip())
                .append(", \"schedule\": \"").append(config.schedule()).append('"')
                .append(", \"warmupSteps\": ").append(config.warmupSteps())
                .append(", \"totalSteps\": ").append(config.totalSteps())
                .append(", \"microBatchSize\": ").append(config.microBatchSize())
                .append("}\n}\n");
        return json.toString();
    }

    /**
     * Restores the moments and the step count written by {@link #save} for the same parameter shapes.
     * The hyper-parameters stay this optimizer's own (a resumed run may change them).
     *
     * @throws InvalidInputException when the files are missing, malformed or belong to other parameters
     */
    public void load(Path directory) {
        load(directory, 0);
    }

    /**
     * Restores a state saved for these parameters followed by {@code extra} more, whose moments are
     * ignored (a trainer without a state head resuming from one that had it: the head's parameters come
     * last).
     *
     * @throws InvalidInputException when the files are missing, malformed or belong to other parameters
     */
    public void load(Path directory, int extra) {
        Path metaFile = directory.resolve(META_FILE);
        Path stateFile = directory.resolve(STATE_FILE);
        long loadedSteps = readMetadata(metaFile, extra);
        NDList state;
        try (InputStream in = Files.newInputStream(stateFile)) {
            state = NDList.decode(stateManager, in);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(stateFile.toString(), "optimizer state file is missing");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(stateFile.toString(), "unreadable optimizer state: " + e.getMessage(), e);
        }
        NDScope.unregister(state);
        if (state.size() != 2 * (parameters.size() + extra)) {
            state.close();
            throw new InvalidInputException(stateFile.toString(), "holds " + state.size() + " tensors, expected "
                    + 2 * (parameters.size() + extra) + " (two moments for each of " + (parameters.size() + extra)
                    + " parameters)");
        }
        // Every temporary (device copies, flattened views) belongs to this scope; the groups keep copies.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> first = new ArrayList<>();
            List<NDArray> second = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray m = byName(state, "exp_avg." + i, stateFile);
                NDArray v = byName(state, "exp_avg_sq." + i, stateFile);
                for (NDArray moment : List.of(m, v)) {
                    if (!moment.getShape().equals(p.getShape()) || moment.getDataType() != p.getDataType()) {
                        throw new InvalidInputException(stateFile.toString(), "tensor " + moment.getName() + " is "
                                + moment.getShape() + " " + moment.getDataType() + ", but parameter " + i + " is "
                                + p.getShape() + " " + p.getDataType());
                    }
                }
                first.add(m.getDevice().equals(p.getDevice()) ? m : m.toDevice(p.getDevice(), false));
                second.add(v.getDevice().equals(p.getDevice()) ? v : v.toDevice(p.getDevice(), false));
            }
            for (Group group : groups) {
                NDArray m = flat(group, first).duplicate();
                NDArray v = flat(group, second).duplicate();
                NDScope.unregister(m, v);
                m.attach(stateManager);
                v.attach(stateManager);
                group.firstMoment.close();
                group.secondMoment.close();
                group.firstMoment = m;
                group.secondMoment = v;
            }
        } finally {
            state.close();
        }
        steps = loadedSteps;
    }

    private static NDArray byName(NDList state, String name, Path file) {
        for (NDArray a : state) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        state.close();
        throw new InvalidInputException(file.toString(), "tensor " + name + " is missing");
    }

    private long readMetadata(Path metaFile, int extra) {
        String text;
        try {
            text = Files.readString(metaFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(metaFile.toString(), "optimizer metadata file is missing");
        } catch (IOException e) {
            throw new InvalidInputException(metaFile.toString(), "unreadable: " + e.getMessage(), e);
        }
        try {
            JsonObject meta = JsonUtils.GSON.fromJson(text, JsonObject.class);
            if (meta == null || !meta.has("format") || !FORMAT.equals(meta.get("format").getAsString())) {
                throw new InvalidInputException(metaFile.toString(), "not an optimizer state (format is not " + FORMAT + ")");
            }
            if (meta.get("version").getAsInt() != VERSION) {
                throw new InvalidInputException(metaFile.toString(),
                        "unsupported version " + meta.get("version") + ", expected " + VERSION);
            }
            JsonArray shapes = meta.getAsJsonArray("parameters");
            if (shapes.size() != parameters.size() + extra) {
                throw new InvalidInputException(metaFile.toString(), "state of " + shapes.size()
                        + " parameters, but the model has " + parameters.size()
                        + (extra == 0 ? "" : " (+ " + extra + " of a state head)"));
            }
            for (int i = 0; i < parameters.size(); i++) {
                JsonArray dims = shapes.get(i).getAsJsonObject().getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                int d = 0;
                for (JsonElement e : dims) {
                    shape[d++] = e.getAsLong();
                }
                if (!new Shape(shape).equals(parameters.get(i).getShape())) {
                    throw new InvalidInputException(metaFile.toString(), "parameter " + i + " was "
                            + new Shape(shape) + ", but the model's is " + parameters.get(i).getShape());
                }
            }
            long loaded = meta.get("steps").getAsLong();
            if (loaded < 0) {
                throw new InvalidInputException(metaFile.toString(), "negative step count " + loaded);
            }
            return loaded;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | NullPointerException | ClassCastException | NumberFormatException e) {
            throw new InvalidInputException(metaFile.toString(), "malformed optimizer metadata: " + e.getMessage(), e);
        }
    }

    /** Frees the moments; the parameters stay the model's. */
    @Override
    public void close() {
        stateManager.close();
    }
}
