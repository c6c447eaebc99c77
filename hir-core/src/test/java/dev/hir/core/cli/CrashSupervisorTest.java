package dev.hir.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hir.core.run.ResumeChild;
import dev.hir.core.run.RunFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashSupervisorTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CrashSupervisor supervisor(int restarts) {
        return new CrashSupervisor(new PrintStream(err, true, StandardCharsets.UTF_8), restarts);
    }

    private static List<String> child(Path out, boolean resume, Path marker, int crashAfterLines) {
        var c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                ResumeChild.class.getName(), out.toString(), "4", String.valueOf(resume), "5"));
        if (marker != null) {
            c.addAll(List.of(marker.toString(), String.valueOf(crashAfterLines)));
        }
        return c;
    }

    @Test
    void aNativeCrashIsResumedAndTheRunEndsWithTheSameMetrics(@TempDir Path tmp) {
        Path full = tmp.resolve("full");
        assertEquals(0, supervisor(0).run(child(full, false, null, 0), List.of(), full.resolve("state.json"), "test"));

        Path crashed = tmp.resolve("crashed");
        Path marker = tmp.resolve("crashed-once");
        int status = supervisor(3).run(child(crashed, false, marker, 3), child(crashed, true, marker, 3),
                crashed.resolve("state.json"), "hir run");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(marker), "the child crashed once");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("hir run: the engine crashed natively (exit 134"), err.toString());
        assertEquals(RunFixtures.deterministicMetrics(full), RunFixtures.deterministicMetrics(crashed));
    }

    @Test
    void aCrashBeforeAnythingWasSavedIsNotRetried(@TempDir Path tmp) {
        List<String> halt = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Halt.class.getName(), "134");
        assertEquals(HirCli.FAILED, supervisor(3).run(halt, halt, tmp.resolve("state.json"), "hir run"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nothing to resume"), err.toString());
    }

    @Test
    void otherFailuresAreReturnedAsTheyAre(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("state.json"), "{}");
        for (int status : new int[] {1, 2, 130}) {
            List<String> exit = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Halt.class.getName(), String.valueOf(status));
            assertEquals(status, supervisor(3).run(exit, exit, tmp.resolve("state.json"), "hir run"));
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theOutFolderFollowsTheCommandLine() {
        assertEquals(Path.of("out").toAbsolutePath(), CrashSupervisor.outDirectory(new String[] {"run"}));
        assertEquals(Path.of("pretrain-out").toAbsolutePath(), CrashSupervisor.outDirectory(new String[] {"pretrain", "--resume"}));
        assertEquals(Path.of("x").toAbsolutePath(), CrashSupervisor.outDirectory(new String[] {"run", "--out", "x"}));
        assertEquals(Path.of("y").toAbsolutePath(), CrashSupervisor.outDirectory(new String[] {"pretrain", "--out=y"}));
    }

    @Test
    void onlyResumableCommandsAreSupervised() {
        assertTrue(CrashSupervisor.applies("run"));
        assertTrue(CrashSupervisor.applies("pretrain"));
        assertTrue(!CrashSupervisor.applies("eval") && !CrashSupervisor.applies("tasks"));
    }

    @Test
    void theChildGetsTheSupervisorsEnvironment(@TempDir Path tmp) {
        List<String> check = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExpectVariable.class.getName(), "HIR_SUPERVISOR_TEST", "set");
        var withVariable = new CrashSupervisor(new PrintStream(err, true, StandardCharsets.UTF_8), 0,
                Map.of("HIR_SUPERVISOR_TEST", "set"));
        assertEquals(0, withVariable.run(check, check, tmp.resolve("state.json"), "hir run"));
        assertEquals(1, supervisor(0).run(check, check, tmp.resolve("state.json"), "hir run"));
    }

    @Test
    void anUnknownAllocatorIsAUserMistakeBeforeAnyChildStarts(@TempDir Path tmp) {
        System.setProperty(NativeAllocator.PROPERTY, "mimalloc");
        try {
            int status = CrashSupervisor.superviseCli(new String[] {"run", "--out", tmp.resolve("out").toString()},
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(HirCli.USAGE, status);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("hir run: hir.allocator=mimalloc: expected"), err.toString());
            assertTrue(!Files.exists(tmp.resolve("out")));
        } finally {
            System.clearProperty(NativeAllocator.PROPERTY);
        }
    }

    /** Exits with 0 when the environment variable ARGS[0] is ARGS[1], else with 1. */
    public static final class ExpectVariable {
        public static void main(String[] args) {
            Runtime.getRuntime().halt(args[1].equals(System.getenv(args[0])) ? 0 : 1);
        }
    }

    /** Exits at once with the status given as its argument. */
    public static final class Halt {
        public static void main(String[] args) {
            Runtime.getRuntime().halt(Integer.parseInt(args[0]));
        }
    }
}
