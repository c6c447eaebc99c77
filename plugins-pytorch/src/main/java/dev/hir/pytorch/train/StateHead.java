package dev.hir.pytorch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A training-only linear probe on the model's final hidden states that learns to predict the latent state
 * of the world a prompt describes ({@link StateTarget}s: who holds which object after each swap, the
 * running count …). PILOT.md part 2: with this auxiliary loss a 0.85 M-parameter GPT learned three-swap
 * tracking in 13 minutes, without it not in 35.
 *
 * <p>Each of {@code slots} slots is a {@code values}-way softmax over one linear map of the hidden state;
 * the weights start at zero. The head is not part of the model: sampling and scoring never use it, and it is
 * saved next to the optimizer state ({@value #FILE}), not in {@code model.safetensors}, so checkpoints keep
 * the Hugging Face GPT-2 layout.
 */
public final class StateHead implements AutoCloseable {

    /** The file of the head's weights in a checkpoint folder. */
    public static final String FILE = "state_head.safetensors";

    /** How many parameter arrays the head has (its kernel and bias). */
    static final int PARAMETERS = 2;

    private final int slots;
    private final int values;
    private final double weight;
    private final NDManager manager;
    private final NDArray kernel;
    private final NDArray bias;

    /**
     * @param hiddenSize the model's hidden width
     * @param slots state components predicted at a position
     * @param values classes per component
     * @param weight the loss weight of the mean state cross-entropy
     * @param parent the manager of the model's parameters
     */
    public StateHead(int hiddenSize, int slots, int values, double weight, NDManager parent) {
        if (slots < 1 || values < 2 || hiddenSize < 1 || !(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("bad state head: hidden " + hiddenSize + ", slots " + slots
                    + ", values " + values + ", weight " + weight);
        }
        this.slots = slots;
        this.values = values;
        this.weight = weight;
        this.manager = parent.newSubManager();
        this.kernel = manager.zeros(new Shape(hiddenSize, (long) slots * values), DataType.FLOAT32);
        this.bias = manager.zeros(new Shape((long) slots * values), DataType.FLOAT32);
        kernel.setName("state_head.weight");
        bias.setName("state_head.bias");
        kernel.setRequiresGradient(true);
        bias.setRequiresGradient(true);
    }

    /** The head's trainable parameters (appended to the model's by the trainer). */
    public NDList parameters() {
        return new NDList(kernel, bias);
    }

    public int slots() {
        return slots;
    }

    public int values() {
        return values;
    }

    public double weight() {
        return weight;
    }

    /** Whether the head predicts this target (its slot and value are inside the head). */
    public boolean covers(StateTarget t) {
        return t.slot() < slots && t.value() < values;
    }

    /**
     * The summed cross-entropy of the targets the head covers.
     *
     * @param hidden {@code [N, T, H]} final hidden states
     * @param rows the targets of each of the {@code N} rows ({@link StateTarget#token()} indexes {@code T})
     * @return a differentiable scalar and the number of targets it sums, or empty when the rows have none
     */
    Optional<Sum> loss(NDArray hidden, List<List<StateTarget>> rows) {
        long width = hidden.getShape().get(1);
        int h = (int) hidden.getShape().get(2);
        // Distinct (row, token) positions, each with a label per slot (-1: none).
        LinkedHashMap<Long, int[]> positions = new LinkedHashMap<>();
        int count = 0;
        for (int r = 0; r < rows.size(); r++) {
            for (StateTarget t : rows.get(r)) {
                if (!covers(t) || t.token() >= width) {
                    continue;
                }
                int[] labels = positions.computeIfAbsent(r * width + t.token(), k -> {
                    int[] fresh = new int[slots];
                    Arrays.fill(fresh, -1);
                    return fresh;
                });
                if (labels[t.slot()] < 0) {
                    count++;
                }
                labels[t.slot()] = t.value();
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        int p = positions.size();
        long[] gatherIndex = new long[p * h];
        long[] classes = new long[p * slots];
        float[] mask = new float[p * slots];
        int i = 0;
        for (var e : positions.entrySet()) {
            Arrays.fill(gatherIndex, i * h, (i + 1) * h, e.getKey());
            for (int s = 0; s < slots; s++) {
                int label = e.getValue()[s];
                classes[i * slots + s] = Math.max(label, 0);
                mask[i * slots + s] = label >= 0 ? 1f : 0f;
            }
            i++;
        }
        NDManager m = hidden.getManager();
        NDArray flat = hidden.reshape(-1, h);
        NDArray picked = flat.gather(m.create(gatherIndex, new Shape(p, h)), 0);
        NDArray logits = picked.matMul(kernel).add(bias).reshape(p * slots, values);
        NDArray logProbs = logits.logSoftmax(1);
        NDArray chosen = logProbs.gather(m.create(classes, new Shape(p * slots, 1)), 1).squeeze(1);
        NDArray sum = chosen.mul(m.create(mask)).sum().neg();
        return Optional.of(new Sum(sum, count));
    }

    /** A summed loss and how many terms it sums. */
    record Sum(NDArray tensor, int count) {}

    /** Writes the weights into an existing folder. */
    public void save(Path directory) {
        Path file = directory.resolve(FILE);
        try (OutputStream out = Files.newOutputStream(file)) {
            new NDList(kernel, bias).encode(out, NDList.Encoding.SAFETENSORS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores the weights {@link #save} wrote.
     *
     * @throws InvalidInputException when the file is missing, unreadable or of other shapes
     */
    public void load(Path directory) {
        Path file = directory.resolve(FILE);
        NDList saved;
        try (InputStream in = Files.newInputStream(file)) {
            saved = NDList.decode(manager, in);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), "the checkpoint has no state head (it was trained without "
                    + "state_head, or by an older version); leave state_head out to go on without it");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file.toString(), "unreadable state head: " + e.getMessage(), e);
        }
        NDScope.unregister(saved);
        try {
            NDArray k = saved.get("state_head.weight");
            NDArray b = saved.get("state_head.bias");
            if (k == null || b == null || !k.getShape().equals(kernel.getShape()) || !b.getShape().equals(bias.getShape())
                    || k.getDataType() != DataType.FLOAT32 || b.getDataType() != DataType.FLOAT32) {
                throw new InvalidInputException(file.toString(), "expected state_head.weight " + kernel.getShape()
                        + " and state_head.bias " + bias.getShape() + " (float32): state_head's slots or values differ "
                        + "from the run that saved it");
            }
            kernel.set(k.toByteBuffer());
            bias.set(b.toByteBuffer());
        } finally {
            saved.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Checks that a head fits a model. */
    static void check(StateHead head, int hiddenSize) {
        Objects.requireNonNull(head, "head");
        if (head.kernel.getShape().get(0) != hiddenSize) {
            throw new IllegalArgumentException("the state head reads " + head.kernel.getShape().get(0)
                    + " hidden units but the model has " + hiddenSize);
        }
    }
}
