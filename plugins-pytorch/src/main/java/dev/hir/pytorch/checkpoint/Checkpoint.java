package dev.hir.pytorch.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hir.api.InvalidInputException;
import dev.hir.pytorch.model.Gpt2Config;
import dev.hir.pytorch.model.Gpt2Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoint folder in the Hugging Face layout: {@code config.json} (GPT-2 keys),
 * {@code model.safetensors} (GPT-2 parameter names), {@code tokenizer.json}, plus any extra files the
 * trainer adds (optimizer and schedule state).
 */
public final class Checkpoint {
    /** The model config file. */
    public static final String CONFIG = "config.json";
    /** The weights file. */
    public static final String WEIGHTS = "model.safetensors";
    /** The tokenizer file. */
    public static final String TOKENIZER = "tokenizer.json";

    private Checkpoint() {}

    /** Writes more files into a checkpoint folder being built (e.g. the optimizer state). */
    @FunctionalInterface
    public interface ExtraFiles {
        /** Writes files into {@code folder}, which holds the model files already. */
        void writeInto(Path folder) throws IOException;

        /** No extra files. */
        static ExtraFiles none() {
            return folder -> {};
        }
    }

    /** Reads {@code config.json} of a checkpoint folder. */
    public static Gpt2Config readConfig(Path directory) {
        requireFolder(directory);
        Path config = directory.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new InvalidInputException(directory.toString(), "no " + CONFIG + " in the checkpoint folder");
        }
        return Gpt2Config.read(config);
    }

    /** Loads the model of a checkpoint folder ({@code config.json} and {@code model.safetensors}). */
    public static Gpt2Model loadModel(Path directory, NDManager manager) {
        Gpt2Config config = readConfig(directory);
        Path weights = directory.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new InvalidInputException(directory.toString(), "no " + WEIGHTS + " in the checkpoint folder");
        }
        return loadWeights(config, weights, manager);
    }

    /**
     * Loads GPT-2 weights from a safetensors file, checking every tensor's name, type and shape against
     * the config before any data is decoded. Names may lack the {@code transformer.} prefix; attention-mask
     * buffers and a tied {@code lm_head.weight} are skipped. Half-precision weights are widened to float32.
     */
    public static Gpt2Model loadWeights(Gpt2Config config, Path weights, NDManager manager) {
        String source = weights.toString();
        SafetensorsFile.Header header = SafetensorsFile.readHeader(weights);
        Map<String, Shape> expected = Gpt2Model.parameterShapes(config);
        Map<String, String> fileNameOf = new LinkedHashMap<>();
        for (SafetensorsFile.Entry entry : header.entries().values()) {
            if (Gpt2Model.isIgnoredTensor(entry.name())) {
                continue;
            }
            String name = Gpt2Model.canonicalName(entry.name());
            Shape shape = expected.get(name);
            if (shape == null) {
                throw new InvalidInputException(source, "tensor '" + entry.name() + "' is not a GPT-2 parameter");
            }
            if (fileNameOf.put(name, entry.name()) != null) {
                throw new InvalidInputException(source, "tensor '" + name + "' appears twice (with and without prefix)");
            }
            if (!entry.dtype().equals("F32") && !entry.dtype().equals("F16") && !entry.dtype().equals("BF16")) {
                throw new InvalidInputException(source,
                        "tensor '" + entry.name() + "' has dtype " + entry.dtype() + ", expected F32, F16 or BF16");
            }
            if (!entry.djlShape().equals(shape)) {
                throw new InvalidInputException(source,
                        "tensor '" + entry.name() + "' has shape " + entry.djlShape() + ", expected " + shape);
            }
        }
        for (String name : expected.keySet()) {
            if (!fileNameOf.containsKey(name)) {
                throw new InvalidInputException(source, "missing tensor '" + name + "'");
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> decoded = SafetensorsFile.decode(weights, header, scratch);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : fileNameOf.entrySet()) {
                NDArray array = decoded.get(e.getValue());
                if (array == null) {
                    throw new InvalidInputException(source, "tensor '" + e.getValue() + "' could not be decoded");
                }
                if (array.getDataType() != DataType.FLOAT32) {
                    array = array.toType(DataType.FLOAT32, false);
                }
                params.put(e.getKey(), array);
            }
            // fromParameters moves the arrays to the model's own manager before scratch is closed.
            return Gpt2Model.fromParameters(config, params, manager, source);
        }
    }

    /**
     * Writes a checkpoint atomically: everything goes to a temporary folder beside {@code directory},
     * each file and the folder are fsynced, and the folder is renamed into place. After a crash
     * {@code directory} either holds the whole checkpoint or does not exist.
     *
     * @param directory must not exist yet
     * @param tokenizerJson the bytes of {@code tokenizer.json}, written as they are
     * @param extraFiles writes more files (e.g. optimizer state)
     */
    public static void write(Path directory, Gpt2Model model, byte[] tokenizerJson, ExtraFiles extraFiles) {
        Path target = directory.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new InvalidInputException(directory.toString(), "checkpoint folder already exists");
        }
        Path parent = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            model.config().write(temp.resolve(CONFIG));
            SafetensorsFile.write(temp.resolve(WEIGHTS), model.namedParameterList());
            Files.write(temp.resolve(TOKENIZER), tokenizerJson, StandardOpenOption.CREATE_NEW);
            extraFiles.writeInto(temp);
            List<Path> written;
            try (Stream<Path> walk = Files.walk(temp)) {
                written = walk.sorted(Comparator.reverseOrder()).toList();
            }
            // Files before their folders, the folder itself last.
            for (Path path : written) {
                fsync(path);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new InvalidInputException(directory.toString(), "checkpoint folder already exists");
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename " + temp + " atomically", e);
            }
            temp = null;
            fsync(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + directory + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                deleteRecursively(temp);
            }
        }
    }

    /** Writes a model's parameters to a safetensors file (not atomic; for tools and tests). */
    public static void writeWeights(Path file, Gpt2Model model) throws IOException {
        SafetensorsFile.write(file, model.namedParameterList());
    }

    private static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void requireFolder(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException(directory.toString(), "checkpoint folder does not exist");
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary folder is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
