package dev.hir.core.pretrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.core.config.RunConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every preset in the project's models/presets binds, and names a tokenizer file that is there. */
class ShippedPresetsTest {
    private static final Path PRESETS = Path.of("../models/presets");

    @Test
    void everyShippedPresetBindsAndItsTokenizerExists() throws IOException {
        List<Path> presets;
        try (Stream<Path> files = Files.list(PRESETS)) {
            presets = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(presets.isEmpty(), "no presets in " + PRESETS.toAbsolutePath());
        for (Path preset : presets) {
            PretrainConfig config = RunConfigLoader.load(preset.toAbsolutePath(), PretrainConfig.class);
            String tokenizer = config.policy().settings().path("tokenizer").asText();
            assertTrue(Files.isRegularFile(PRESETS.resolve(tokenizer)), preset + " names a missing tokenizer " + tokenizer);
            assertTrue(config.families().size() >= 1, preset.toString());
        }
    }
}
