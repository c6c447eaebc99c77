package dev.hir.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeAllocatorTest {
    @TempDir
    Path tmp;

    private List<Path> folders(String... libraries) throws IOException {
        Path first = Files.createDirectories(tmp.resolve("lib-a"));
        Path second = Files.createDirectories(tmp.resolve("lib-b"));
        for (String library : libraries) {
            Files.writeString(second.resolve(library), "");
        }
        return List.of(first, second);
    }

    @Test
    void aNamedAllocatorIsFoundOrReportedWithWhereItWasLookedFor() throws Exception {
        List<Path> none = folders();
        var e = assertThrows(NativeAllocator.UnavailableException.class, () -> NativeAllocator.resolve("jemalloc", none));
        assertTrue(e.getMessage().contains("hir.allocator=jemalloc") && e.getMessage().contains(none.get(1).toString())
                && e.getMessage().contains("libjemalloc2"), e.getMessage());
        List<Path> jemalloc = folders("libjemalloc.so.2");
        assertEquals(Optional.of(jemalloc.get(1).resolve("libjemalloc.so.2")), NativeAllocator.resolve("JEMALLOC", jemalloc));
        List<Path> tcmalloc = folders("libtcmalloc.so.4");
        assertEquals(Optional.of(tcmalloc.get(1).resolve("libtcmalloc.so.4")), NativeAllocator.resolve("tcmalloc", tcmalloc));
        assertEquals(Optional.empty(), NativeAllocator.resolve("system", tcmalloc));
        assertEquals(Optional.of(jemalloc.get(1).resolve("libjemalloc.so.2")), NativeAllocator.resolve("jemalloc-retain", jemalloc));
    }

    @Test
    void jemallocRetainAlsoTurnsOffPageReturnUnlessTheUserConfiguresJemalloc() {
        Optional<Path> jemalloc = Optional.of(Path.of("/lib/libjemalloc.so.2"));
        Map<String, String> changes = NativeAllocator.childEnvironment(Map.of(), "jemalloc-retain", jemalloc);
        assertEquals(Map.of("LD_PRELOAD", "/lib/libjemalloc.so.2", "MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1"), changes);
        assertTrue(NativeAllocator.describe(Map.of(), changes).endsWith("with MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1"),
                NativeAllocator.describe(Map.of(), changes));
        assertEquals(Map.of("LD_PRELOAD", "/lib/libjemalloc.so.2"),
                NativeAllocator.childEnvironment(Map.of("MALLOC_CONF", "background_thread:true"), "jemalloc-retain", jemalloc));
        assertEquals(Map.of(), NativeAllocator.childEnvironment(Map.of("LD_PRELOAD", "/x/libmine.so"), "jemalloc-retain", jemalloc));
    }

    @Test
    void aPathIsTakenAsItIsAndAnythingElseIsAUserMistake() throws Exception {
        Path library = Files.writeString(tmp.resolve("libmine.so"), "");
        assertEquals(Optional.of(library), NativeAllocator.resolve(library.toString(), List.of()));
        var missing = assertThrows(NativeAllocator.UnavailableException.class,
                () -> NativeAllocator.resolve(tmp.resolve("nope.so").toString(), List.of()));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        var unknown = assertThrows(NativeAllocator.UnavailableException.class, () -> NativeAllocator.resolve("mimalloc", List.of()));
        assertTrue(unknown.getMessage().contains("expected system, jemalloc, jemalloc-retain, tcmalloc"), unknown.getMessage());
    }

    @Test
    void theChildPreloadsTheLibraryUnlessTheUserPreloadsOne() {
        Optional<Path> jemalloc = Optional.of(Path.of("/lib/libjemalloc.so.2"));
        assertEquals(Map.of("LD_PRELOAD", "/lib/libjemalloc.so.2"), NativeAllocator.childEnvironment(Map.of(), "jemalloc", jemalloc));
        assertEquals(Map.of(), NativeAllocator.childEnvironment(Map.of("LD_PRELOAD", "/x/libmine.so"), "jemalloc", jemalloc));
        assertEquals(Map.of(), NativeAllocator.childEnvironment(Map.of(), "system", Optional.empty()));
        assertTrue(NativeAllocator.describe(Map.of("LD_PRELOAD", "/x/libmine.so"), Map.of()).contains("/x/libmine.so"));
    }

    @Test
    void theEnvironmentVariableChoosesWhenThePropertyIsUnset() {
        String before = System.getProperty(NativeAllocator.PROPERTY);
        try {
            System.clearProperty(NativeAllocator.PROPERTY);
            assertEquals("system", NativeAllocator.choice(Map.of()));
            assertEquals("jemalloc", NativeAllocator.choice(Map.of(NativeAllocator.ENVIRONMENT, "jemalloc")));
            System.setProperty(NativeAllocator.PROPERTY, "tcmalloc");
            assertEquals("tcmalloc", NativeAllocator.choice(Map.of(NativeAllocator.ENVIRONMENT, "system")));
        } finally {
            if (before == null) {
                System.clearProperty(NativeAllocator.PROPERTY);
            } else {
                System.setProperty(NativeAllocator.PROPERTY, before);
            }
        }
    }
}
