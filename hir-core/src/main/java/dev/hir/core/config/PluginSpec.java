package dev.hir.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.InvalidInputException;
import java.util.Objects;

/**
 * One plugin section of a run configuration: {@code {"type": "exact-match", ...settings}}. The settings
 * stay untyped until the named plugin's factory says which record they bind to.
 *
 * @param type the plugin's name
 * @param settings the other keys of the section
 */
public record PluginSpec(String type, ObjectNode settings) {
    public PluginSpec {
        Objects.requireNonNull(type, "type");
        settings = settings.deepCopy();
        settings.remove("type");
    }

    /** A section with only a type. */
    public static PluginSpec of(String type) {
        return new PluginSpec(type, JsonNodeFactory.instance.objectNode());
    }

    /** Reads {@code "name"} or {@code {"type": "name", ...}}. */
    @JsonCreator
    static PluginSpec fromJson(JsonNode node) {
        if (node.isTextual()) {
            return of(node.asText());
        }
        if (!node.isObject()) {
            throw new InvalidInputException("type", "a plugin section is a name or an object with a 'type' key");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw new InvalidInputException("type", "missing plugin name: add \"type: <name>\" to the section");
        }
        return new PluginSpec(type.asText(), (ObjectNode) node);
    }

    /** The section as written: type first, then the settings. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", type);
        n.setAll(settings.deepCopy());
        return n;
    }
}
