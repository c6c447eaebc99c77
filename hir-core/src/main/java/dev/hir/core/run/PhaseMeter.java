package dev.hir.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seconds and peak resident memory of each phase of an iteration. Native engines allocate outside the
 * Java heap, so memory is the process's resident set: Linux resets its high-water mark when "5" is
 * written to {@code /proc/self/clear_refs}; where that is refused the value is the high-water mark of the
 * whole process so far.
 */
final class PhaseMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Double> peakMb = new LinkedHashMap<>();
    private String phase;
    private long start;

    void begin(String name) {
        phase = name;
        resetPeak();
        start = System.nanoTime();
    }

    void end() {
        seconds.merge(phase, (System.nanoTime() - start) / 1e9, Double::sum);
        peakMb.merge(phase, peakResidentMb(), Math::max);
        phase = null;
    }

    Map<String, Double> seconds() {
        return seconds;
    }

    Map<String, Double> peakMemoryMb() {
        return peakMb;
    }

    private static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
            // Not Linux, or not allowed: the high-water mark then covers the whole process.
        }
    }

    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Math.round(Long.parseLong(kb) / 1024.0 * 10) / 10.0;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Fall through to the heap, the only figure every platform has.
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
