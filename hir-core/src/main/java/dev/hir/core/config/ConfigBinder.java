package dev.hir.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hir.api.InvalidInputException;
import java.util.stream.Collectors;

/**
 * Binds configuration trees to records with Jackson, strictly: unknown keys, wrong types and values a
 * record rejects all become an {@link InvalidInputException} naming the full field path
 * (e.g. {@code policy.temperature}) — Druid's and Trino's strict-config behaviour.
 */
public final class ConfigBinder {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new Jdk8Module())
            .build();

    private ConfigBinder() {}

    /** The mapper the core uses for configs, metrics and manifests. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Binds a tree to a record.
     *
     * @param path the field path of the tree in the whole configuration ({@code ""} for the root)
     */
    public static <C> C bind(JsonNode tree, Class<C> type, String path) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(join(path, snakeCase(e.source())), e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw translate(e, path);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path.isEmpty() ? "config" : path, e.getMessage(), e);
        }
    }

    static InvalidInputException translate(JsonProcessingException e, String path) {
        String field = path;
        if (e instanceof JsonMappingException jme) {
            var refs = jme.getPath();
            if (e instanceof UnrecognizedPropertyException && !refs.isEmpty()) {
                // The last reference is the unknown key itself; the error names the section it is in.
                refs = refs.subList(0, refs.size() - 1);
            }
            field = join(path, refs.stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "["));
        }
        String where = field.isEmpty() ? "config" : field;
        if (e instanceof UnrecognizedPropertyException upe) {
            String known = upe.getKnownPropertyIds() == null ? "" : upe.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new InvalidInputException(where, "unknown key '" + upe.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : "; known keys: " + known), e);
        }
        if (e instanceof ValueInstantiationException vie) {
            Throwable cause = vie.getCause();
            while (cause != null && !(cause instanceof InvalidInputException) && cause.getCause() != null
                    && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof InvalidInputException iie) {
                return new InvalidInputException(join(where.equals("config") ? "" : where,
                        relativeTo(where, snakeCase(iie.source()))), iie.getMessage(), e);
            }
            String msg = vie.getCause() != null ? vie.getCause().getMessage() : vie.getOriginalMessage();
            return new InvalidInputException(where, String.valueOf(msg), e);
        }
        if (e instanceof InvalidFormatException ife) {
            return new InvalidInputException(where, "expected " + describe(ife.getTargetType()) + ", got '"
                    + ife.getValue() + "'", e);
        }
        if (e instanceof MismatchedInputException mie) {
            return new InvalidInputException(where, "expected " + describe(mie.getTargetType()), e);
        }
        return new InvalidInputException(where, e.getOriginalMessage(), e);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type.isEnum()) {
            StringBuilder sb = new StringBuilder("one of ");
            Object[] values = type.getEnumConstants();
            for (int i = 0; i < values.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(values[i].toString().toLowerCase(java.util.Locale.ROOT));
            }
            return sb.toString();
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a " + type.getSimpleName() + " section";
    }

    /**
     * A nested value's own check names its field from its parent's config ({@code init.n_head} in a policy's
     * {@code init}); when the path already ends at that value, its first segment is not repeated.
     */
    static String relativeTo(String path, String source) {
        int dot = source.indexOf('.');
        if (dot < 0) {
            return source;
        }
        String first = source.substring(0, dot);
        return path.equals(first) || path.endsWith("." + first) ? source.substring(dot + 1) : source;
    }

    /**
     * A plugin may name a field as its record component ({@code init.nLayer}); users write the key
     * ({@code init.n_layer}), so errors use the key.
     */
    static String snakeCase(String field) {
        var strategy = new PropertyNamingStrategies.SnakeCaseStrategy();
        StringBuilder sb = new StringBuilder();
        for (String part : field.split("\\.", -1)) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            sb.append(strategy.translate(name)).append(bracket < 0 ? "" : part.substring(bracket));
        }
        return sb.toString();
    }

    static String join(String path, String field) {
        if (path.isEmpty()) {
            return field;
        }
        if (field.isEmpty() || field.equals("config")) {
            return path;
        }
        return field.startsWith("[") ? path + field : path + "." + field;
    }
}
