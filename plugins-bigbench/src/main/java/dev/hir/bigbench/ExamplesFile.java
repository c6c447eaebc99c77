package dev.hir.bigbench;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON file of the shape {@code {"examples": [ … ], …}} read with the line each example starts on, so
 * that a bad example can be reported as {@code file:line}.
 *
 * @param file the file read
 * @param header the top-level fields other than {@code examples}
 * @param examples the examples in file order
 */
record ExamplesFile(Path file, ObjectNode header, List<Entry> examples) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One element of {@code examples}. */
    record Entry(int index, int line, JsonNode node) {}

    static ExamplesFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "no such file");
        }
        try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(where(file, p.currentLocation()), "not a JSON object");
            }
            ObjectNode header = MAPPER.createObjectNode();
            List<Entry> examples = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("examples")) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new InvalidInputException(where(file, p.currentLocation()), "'examples' is not an array");
                    }
                    examples = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int line = p.currentLocation().getLineNr();
                        examples.add(new Entry(examples.size(), line, MAPPER.readTree(p)));
                    }
                } else {
                    header.set(field, MAPPER.readTree(p));
                }
            }
            if (examples == null) {
                throw new InvalidInputException(file.toString(), "no 'examples' array");
            }
            return new ExamplesFile(file, header, List.copyOf(examples));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where(file, e.getLocation()), "not valid JSON: " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read: " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** {@code file:line} of an example, with the example's index in the message. */
    InvalidInputException invalid(Entry e, String message) {
        return new InvalidInputException(file + ":" + e.line(), "examples[" + e.index() + "]: " + message);
    }

    /** A required string field of an example. */
    String requireText(Entry e, String field) {
        JsonNode v = e.node().get(field);
        if (v == null || v.isNull()) {
            throw invalid(e, "missing '" + field + "'");
        }
        if (!v.isTextual()) {
            throw invalid(e, "'" + field + "' is not a string");
        }
        return v.asText();
    }

    /** A string field of the header, or "" when absent. */
    String headerText(String field) {
        JsonNode v = header.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(file.toString(), "'" + field + "' is not a string");
        }
        return v.asText();
    }

    private static String where(Path file, JsonLocation loc) {
        return loc == null ? file.toString() : file + ":" + loc.getLineNr();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
