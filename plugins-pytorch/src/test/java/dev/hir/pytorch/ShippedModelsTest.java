package dev.hir.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hir.testkit.TestingPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedModelsTest {
    @AfterEach
    void clear() {
        System.clearProperty(ShippedModels.DIR_PROPERTY);
    }

    @Test
    void aBareNameFindsAShippedModel(@TempDir Path tmp) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/tiny-base"));
        System.setProperty(ShippedModels.DIR_PROPERTY, tmp.resolve("models").toString());
        var context = new TestingPluginContext(0, tmp.resolve("configs"));
        assertEquals(models, ShippedModels.resolve("tiny-base", context));
    }

    @Test
    void pathsResolveAgainstTheConfigurationFolder(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("models/tiny-base"));
        System.setProperty(ShippedModels.DIR_PROPERTY, tmp.resolve("models").toString());
        var context = new TestingPluginContext(0, tmp.resolve("configs"));
        assertEquals(tmp.resolve("configs/ckpt/tiny-base"), ShippedModels.resolve("ckpt/tiny-base", context));
        Path local = Files.createDirectories(tmp.resolve("configs/tiny-base"));
        assertEquals(local, ShippedModels.resolve("tiny-base", context), "a folder beside the config wins");
    }
}
