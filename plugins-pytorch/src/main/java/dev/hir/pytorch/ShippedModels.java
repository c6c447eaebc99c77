package dev.hir.pytorch;

import dev.hir.api.PluginContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a configured checkpoint: a path (relative to the configuration's folder), or the bare name of a
 * model shipped in the project's {@code models/} folder, such as {@code tso3-base}.
 */
final class ShippedModels {
    /** The system property that names the folder of shipped models; default {@code models} in the working directory. */
    static final String DIR_PROPERTY = "hir.models.dir";

    private ShippedModels() {}

    static Path resolve(String checkpoint, PluginContext context) {
        Path asPath = context.resolve(checkpoint);
        boolean bareName = !checkpoint.contains("/") && !checkpoint.contains("\\") && !checkpoint.startsWith(".");
        if (Files.isDirectory(asPath) || !bareName) {
            return asPath;
        }
        Path shipped = directory().resolve(checkpoint);
        return Files.isDirectory(shipped) ? shipped : asPath;
    }

    static Path directory() {
        String d = System.getProperty(DIR_PROPERTY, "");
        return Path.of(d.isBlank() ? "models" : d).toAbsolutePath().normalize();
    }
}
