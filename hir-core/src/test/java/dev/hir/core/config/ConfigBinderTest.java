package dev.hir.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hir.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
    /** A plugin config the way plugins write them: boxed fields, defaults and checks in the constructor. */
    record SampleConfig(Integer maxItems, String pattern) {
        SampleConfig {
            maxItems = maxItems == null ? 5 : maxItems;
            pattern = pattern == null ? ".*" : pattern;
            if (maxItems < 1) {
                throw new InvalidInputException("max_items", "must be >= 1, got " + maxItems);
            }
        }
    }

    private static JsonNode json(String s) throws Exception {
        return ConfigBinder.mapper().readTree(s);
    }

    @Test
    void absentKeysTakeThePluginsDefaults() throws Exception {
        assertEquals(new SampleConfig(5, ".*"), ConfigBinder.bind(json("{}"), SampleConfig.class, "feedback"));
    }

    @Test
    void snakeCaseKeysBind() throws Exception {
        assertEquals(7, ConfigBinder.bind(json("{\"max_items\": 7}"), SampleConfig.class, "feedback").maxItems());
    }

    @Test
    void pluginValidationErrorsArePrefixedWithTheSectionPath() throws Exception {
        var e = assertThrows(InvalidInputException.class,
                () -> ConfigBinder.bind(json("{\"max_items\": 0}"), SampleConfig.class, "relabeling[2]"));
        assertEquals("relabeling[2].max_items", e.source());
        assertTrue(e.getMessage().contains("got 0"));
    }

    record Sizes(Integer nLayer) {
        Sizes {
            if (nLayer != null && nLayer < 1) {
                throw new InvalidInputException("init.nLayer", "must be >= 1");
            }
        }
    }

    @Test
    void fieldsNamedAsRecordComponentsAreReportedAsTheKeysUsersWrite() throws Exception {
        var e = assertThrows(InvalidInputException.class,
                () -> ConfigBinder.bind(json("{\"n_layer\": 0}"), Sizes.class, "policy"));
        assertEquals("policy.init.n_layer", e.source());
        assertEquals("relabeling[2].max_items", ConfigBinder.join("relabeling[2]", ConfigBinder.snakeCase("maxItems")));
    }

    record PolicySection(Sizes init) {}

    @Test
    void aNestedValuesCheckIsReportedOnceUnderItsSection() throws Exception {
        var e = assertThrows(InvalidInputException.class,
                () -> ConfigBinder.bind(json("{\"init\": {\"n_layer\": 0}}"), PolicySection.class, "policy"));
        assertEquals("policy.init.n_layer", e.source());
    }

    @Test
    void unknownKeysAreRejected() throws Exception {
        var e = assertThrows(InvalidInputException.class,
                () -> ConfigBinder.bind(json("{\"maxitems\": 3}"), SampleConfig.class, "feedback"));
        assertEquals("feedback", e.source());
        assertTrue(e.getMessage().contains("max_items"), e.getMessage());
    }
}
