package dev.hir.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which native memory allocator the child JVM of {@code hir run} and {@code hir pretrain} runs with.
 *
 * <p>Why: under glibc's malloc, libtorch's per-step activation and gradient buffers fragment the heap and the
 * process keeps the freed pages: RSS grows by 110-150 MiB over the first 1,000-2,000 training steps, then
 * levels off. jemalloc, preloaded, keeps training and generation within about 20 MiB over 1,000 calls, but
 * trains at batch 32 at 0.5-0.7x glibc's speed (it returns freed pages to the kernel and faults them back in).
 * {@code jemalloc-retain} is jemalloc that never returns pages ({@value #RETAIN}): 1.1-1.5x glibc's speed in
 * training and sampling, RSS settling at its peak working set instead of staying flat (docs/performance.md,
 * "Native allocator"). So the system allocator stays the default and the others are options. A library can
 * only be preloaded when a process starts, so the supervisor sets {@code LD_PRELOAD} (and for
 * {@code jemalloc-retain} {@code MALLOC_CONF}) for its child. The allocator changes no computed value.
 *
 * <p>The choice comes from {@code -Dhir.allocator=} or the {@code HIR_ALLOCATOR} environment variable:
 * {@code system} (default), {@code jemalloc}, {@code jemalloc-retain}, {@code tcmalloc}, or the path of a
 * shared library. A user who sets {@code LD_PRELOAD} or {@code MALLOC_CONF} already keeps it.
 */
final class NativeAllocator {
    static final String PROPERTY = "hir.allocator";
    static final String ENVIRONMENT = "HIR_ALLOCATOR";
    /** jemalloc's options for {@code jemalloc-retain}: freed pages are reused, never handed back. */
    static final String RETAIN = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /** File names of each allocator's library, in order of preference. */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "jemalloc", List.of("libjemalloc.so.2", "libjemalloc.so"),
            "tcmalloc", List.of("libtcmalloc_minimal.so.4", "libtcmalloc.so.4", "libtcmalloc_minimal.so"));

    /** A choice that names no usable library: a user mistake, reported with what was looked for. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    private NativeAllocator() {}

    /** The folders where distributions install shared libraries, for this JVM's architecture. */
    static List<Path> libraryFolders() {
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch", "");
        };
        return List.of(Path.of("/usr/lib/" + arch + "-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"),
                Path.of("/usr/local/lib"));
    }

    /** The choice this JVM was given: the system property, else the environment variable, else "system". */
    static String choice(Map<String, String> environment) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String env = environment.get(ENVIRONMENT);
        return env == null || env.isBlank() ? "system" : env.trim();
    }

    /**
     * The library to preload for {@code choice}, or empty for the system allocator.
     *
     * @throws UnavailableException when the choice is unknown or the library it names is not installed
     */
    static Optional<Path> resolve(String choice, List<Path> folders) throws UnavailableException {
        String c = choice.toLowerCase(Locale.ROOT);
        switch (c) {
            case "system":
                return Optional.empty();
            case "jemalloc", "jemalloc-retain", "tcmalloc":
                String name = c.startsWith("jemalloc") ? "jemalloc" : c;
                return Optional.of(find(name, folders).orElseThrow(() -> new UnavailableException(
                        PROPERTY + "=" + choice + ": none of " + LIBRARIES.get(name) + " is in " + folders
                                + " (Debian/Ubuntu: apt-get install " + (name.equals("jemalloc") ? "libjemalloc2"
                                : "libtcmalloc-minimal4") + "; or give the library's path, or use 'system')")));
            default:
                if (!choice.contains("/")) {
                    throw new UnavailableException(PROPERTY + "=" + choice
                            + ": expected system, jemalloc, jemalloc-retain, tcmalloc or the path of a shared library");
                }
                Path library = Path.of(choice).toAbsolutePath();
                if (!Files.isRegularFile(library)) {
                    throw new UnavailableException(PROPERTY + "=" + choice + ": no such file");
                }
                return Optional.of(library);
        }
    }

    private static Optional<Path> find(String allocator, List<Path> folders) {
        for (String name : LIBRARIES.get(allocator)) {
            for (Path folder : folders) {
                Path library = folder.resolve(name);
                if (Files.isRegularFile(library)) {
                    return Optional.of(library);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The child's environment changes: {@code LD_PRELOAD} for {@code library}, unless the parent's
     * environment sets {@code LD_PRELOAD} itself (the user's choice wins); for {@code jemalloc-retain} also
     * {@code MALLOC_CONF}, unless the parent sets it.
     */
    static Map<String, String> childEnvironment(Map<String, String> parent, String choice, Optional<Path> library) {
        Map<String, String> changes = new HashMap<>();
        if (library.isPresent() && isBlank(parent.get("LD_PRELOAD"))) {
            changes.put("LD_PRELOAD", library.get().toString());
            if (choice.equalsIgnoreCase("jemalloc-retain") && isBlank(parent.get("MALLOC_CONF"))) {
                changes.put("MALLOC_CONF", RETAIN);
            }
        }
        return changes;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** For --verbose: which allocator the child gets, in words. */
    static String describe(Map<String, String> parent, Map<String, String> changes) {
        String inherited = parent.get("LD_PRELOAD");
        if (changes.containsKey("LD_PRELOAD")) {
            String conf = changes.getOrDefault("MALLOC_CONF", parent.get("MALLOC_CONF"));
            return "native allocator " + changes.get("LD_PRELOAD") + (isBlank(conf) ? "" : " with MALLOC_CONF=" + conf);
        }
        return inherited != null && !inherited.isBlank() ? "native allocator from LD_PRELOAD=" + inherited
                : "native allocator: the system's";
    }
}
