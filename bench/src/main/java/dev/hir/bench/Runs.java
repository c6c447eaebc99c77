package dev.hir.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timed repetitions of one workload: warm-up calls first (not timed), then {@code runs} timed runs of
 * {@code callsPerRun} calls each; the median run is the result, since other processes share the CPU.
 */
final class Runs {
    /**
     * Warm-up lasts at least this long, however few calls it takes: the JIT compiles DJL's Java side of each
     * op only after many calls, and a few warm-up calls of a small workload left the first timed runs up to
     * 3× slower than the last.
     */
    static final double WARMUP_SECONDS = 2.0;

    private Runs() {}

    /**
     * Wall-clock and process CPU seconds of each timed run. CPU seconds (all threads of the process: the
     * compute thread, and for Java also the JIT and GC) hardly change when other processes compete for the
     * cores, so on a shared machine they compare engines more steadily than wall time.
     */
    record Timing(double[] wall, double[] cpu) {
        double medianWall() {
            return median(wall);
        }

        double medianCpu() {
            return median(cpu);
        }
    }

    /** Each timed run, after at least {@code warmup} calls and {@link #WARMUP_SECONDS} of warm-up. */
    static Timing time(int warmup, int runs, int callsPerRun, Runnable call) {
        long warmupStart = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - warmupStart < WARMUP_SECONDS * 1e9; i++) {
            call.run();
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int r = 0; r < runs; r++) {
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            for (int c = 0; c < callsPerRun; c++) {
                call.run();
            }
            wall[r] = (System.nanoTime() - start) / 1e9;
            cpu[r] = (processCpuNanos() - cpuStart) / 1e9;
        }
        return new Timing(wall, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A result row: work units per second of the median run (and of every run), per CPU second of the
     * process, seconds per call, and the matmul GFLOP/s when {@code flopsPerCall} is positive.
     */
    static Map<String, Object> rate(Timing timing, int callsPerRun, double unitsPerCall, double flopsPerCall) {
        double median = timing.medianWall();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("per_s", unitsPerCall * callsPerRun / median);
        row.put("runs_per_s", Arrays.stream(timing.wall()).map(s -> unitsPerCall * callsPerRun / s).boxed().toList());
        row.put("per_cpu_s", unitsPerCall * callsPerRun / timing.medianCpu());
        row.put("s_per_call", median / callsPerRun);
        if (flopsPerCall > 0) {
            row.put("gflops", flopsPerCall * callsPerRun / median / 1e9);
            row.put("gflops_per_cpu_s", flopsPerCall * callsPerRun / timing.medianCpu() / 1e9);
        }
        row.put("calls_per_run", callsPerRun);
        return row;
    }
}
