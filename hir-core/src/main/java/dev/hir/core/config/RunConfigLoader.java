package dev.hir.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads configurations ({@link RunConfig} and others) from YAML or JSON; every error names the file and the field or line. */
public final class RunConfigLoader {
    private static final ObjectMapper YAML = new YAMLMapper();
    /** The configuration `hir run` uses when none is given. */
    public static final String EMBEDDED_DEFAULT = "/dev/hir/core/default-run.yaml";

    private RunConfigLoader() {}

    /** Reads a file (JSON is YAML, so one parser reads both). */
    public static RunConfig load(Path file) {
        return load(file, RunConfig.class);
    }

    /** Reads a configuration file of any record type with the same strict rules. */
    public static <T> T load(Path file, Class<T> type) {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(name, "no such file");
        } catch (IOException e) {
            throw new InvalidInputException(name, "cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, name, type);
    }

    /** Reads the embedded default configuration. */
    public static RunConfig embeddedDefault() {
        try (InputStream in = RunConfigLoader.class.getResourceAsStream(EMBEDDED_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("embedded default config missing: " + EMBEDDED_DEFAULT);
            }
            return parse(in.readAllBytes(), "embedded default " + EMBEDDED_DEFAULT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses run configuration text; {@code name} is what errors call the source. */
    public static RunConfig parse(byte[] text, String name) {
        return parse(text, name, RunConfig.class);
    }

    /** Parses configuration text of any record type; {@code name} is what errors call the source. */
    public static <T> T parse(byte[] text, String name, Class<T> type) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? name : name + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidInputException(where, "not valid YAML/JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException(name, "cannot read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidInputException(name, "the configuration is empty");
        }
        if (!tree.isObject()) {
            throw new InvalidInputException(name, "the configuration must be a mapping of keys to values");
        }
        try {
            return ConfigBinder.bind(tree, type, "");
        } catch (InvalidInputException e) {
            throw new InvalidInputException(name + ": " + e.source(), e.getMessage(), e);
        }
    }
}
