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
import dev.hir.pytorch.tensor.HostMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    /** The moments of each parameter, in its shape, type and device. */
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;
    /**
     * Per parameter, views of the parameter's and its moments' memory when all three are float32 host
     * tensors: their update runs in Java ({@link AdamWKernel}); {@code null} where it runs as DJL operations.
     */
    private final HostViews[] hostViews;
    private final AdamWKernel kernel = new AdamWKernel();
    // Constant scalar operands as arrays made once: an op with a Java number operand creates and frees a
    // scalar array each time, which doubles the native calls of a small update.
    private final NDArray beta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta1;
    private final NDArray oneMinusBeta2;
    private final NDArray epsilon;
    private long steps;

    private record HostViews(FloatBuffer parameter, FloatBuffer first, FloatBuffer second) {}

    private record StepScalars(NDArray scale, NDArray biasCorrection2Root, NDArray stepSize, NDArray decay) {}

    /**
     * @param parameters the parameters to update, in a fixed order (the order of the saved state)
     * @param config the hyper-parameters (the learning rate itself comes with each {@link #step})
     */
    public AdamW(NDList parameters, OptimizerConfig config) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimize");
        }
        this.parameters = new NDList(parameters);
        this.config = config;
        this.stateManager = parameters.head().getManager().newSubManager();
        int n = parameters.size();
        this.firstMoments = new NDArray[n];
        this.secondMoments = new NDArray[n];
        this.hostViews = new HostViews[n];
        for (int i = 0; i < n; i++) {
            NDArray p = parameters.get(i);
            setMoments(i, newMoment(p), newMoment(p));
        }
        beta1 = scalar(config.beta1());
        beta2 = scalar(config.beta2());
        oneMinusBeta1 = scalar(1.0 - config.beta1());
        oneMinusBeta2 = scalar(1.0 - config.beta2());
        epsilon = scalar(config.epsilon());
    }

    private NDArray newMoment(NDArray like) {
        NDArray moment = stateManager.zeros(like.getShape(), like.getDataType(), like.getDevice());
        // The moments outlive whatever step scope is open when the optimizer is created.
        NDScope.unregister(moment);
        return moment;
    }

    /** Installs parameter {@code i}'s moments (owned by the state manager) and the views of its update. */
    private void setMoments(int i, NDArray first, NDArray second) {
        firstMoments[i] = first;
        secondMoments[i] = second;
        Optional<FloatBuffer> p = HostMemory.writableView(parameters.get(i));
        Optional<FloatBuffer> m = p.isPresent() ? HostMemory.writableView(first) : Optional.empty();
        Optional<FloatBuffer> v = m.isPresent() ? HostMemory.writableView(second) : Optional.empty();
        hostViews[i] = v.isPresent() ? new HostViews(p.get(), m.get(), v.get()) : null;
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

    /** How many parameters the update runs for on the host, in Java (tests check which path they cover). */
    int hostParameters() {
        int n = 0;
        for (HostViews views : hostViews) {
            n += views == null ? 0 : 1;
        }
        return n;
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
            // Summed tensor by tensor in parameter order, in the parameters' type: the saved models were
            // trained with this norm, to the last bit.
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

    /**
     * The arithmetic of torch.optim.AdamW, op for op, for each parameter: on the host in Java where
     * {@link #hostViews} allows, else as DJL operations. Both give the same bits.
     */
    private void update(List<NDArray> gradients, double norm, double learningRate) {
        double clip = config.gradientClip();
        double scale = clip > 0.0 && norm > clip ? clip / (norm + 1e-6) : 1.0;
        steps++;
        double biasCorrection1 = 1.0 - Math.pow(config.beta1(), steps);
        double biasCorrection2Root = Math.sqrt(1.0 - Math.pow(config.beta2(), steps));
        double stepSize = learningRate / biasCorrection1;
        double decay = 1.0 - learningRate * config.weightDecay();
        StepScalars arrays = null;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            NDArray g = gradients.get(i);
            boolean decays = config.weightDecay() > 0.0 && p.getShape().dimension() >= 2;
            HostViews views = hostViews[i];
            long size = p.getShape().size();
            if (views != null) {
                // libtorch converts each double scalar operand to float32 before the op: so does this.
                kernel.moments(HostMemory.readView(g), views.first(), views.second(), size, (float) scale,
                        config.beta1().floatValue(), (float) (1.0 - config.beta1()),
                        config.beta2().floatValue(), (float) (1.0 - config.beta2()));
                NDArray root = secondMoments[i].sqrt();
                kernel.apply(views.parameter(), views.first(), HostMemory.readView(root), size,
                        (float) biasCorrection2Root, config.epsilon().floatValue(), (float) stepSize,
                        decays ? (float) decay : 1f);
                continue;
            }
            if (arrays == null) {
                // This step's scalar operands for the DJL path, in the step's scope.
                NDManager scalars = p.getManager();
                arrays = new StepScalars(scalars.create(scale), scalars.create(biasCorrection2Root),
                        scalars.create(stepSize), scalars.create(decay));
            }
            if (scale != 1.0) {
                g.muli(arrays.scale());
            }
            NDArray m = firstMoments[i];
            NDArray v = secondMoments[i];
            m.muli(beta1).addi(g.mul(oneMinusBeta1));
            v.muli(beta2).addi(g.square().muli(oneMinusBeta2));
            NDArray denominator = v.sqrt().divi(arrays.biasCorrection2Root()).addi(epsilon);
            NDArray delta = m.div(denominator).muli(arrays.stepSize());
            if (decays) {
                p.muli(arrays.decay());
            }
            p.subi(delta);
        }
    }

    /**
     * Writes the moments to {@value #STATE_FILE} and the step count to {@value #META_FILE} in an existing
     * directory.
     */
    public void save(Path directory) {
        Path stateFile = directory.resolve(STATE_FILE);
        try (NDScope scope = new NDScope(); OutputStream out = Files.newOutputStream(stateFile)) {
            scope.suppressNotUsedWarning();
            NDList state = new NDList();
            for (int i = 0; i < parameters.size(); i++) {
                state.add(named(firstMoments[i], "exp_avg." + i));
                state.add(named(secondMoments[i], "exp_avg_sq." + i));
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
        // Every temporary (device copies) belongs to this scope; the optimizer keeps copies.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray[] first = new NDArray[parameters.size()];
            NDArray[] second = new NDArray[parameters.size()];
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
                first[i] = m.toDevice(p.getDevice(), true);
                second[i] = v.toDevice(p.getDevice(), true);
                NDScope.unregister(first[i], second[i]);
                first[i].attach(stateManager);
                second[i].attach(stateManager);
            }
            // Only once every tensor is checked: a rejected state leaves the optimizer as it was.
            for (int i = 0; i < parameters.size(); i++) {
                firstMoments[i].close();
                secondMoments[i].close();
                setMoments(i, first[i], second[i]);
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
