package dev.hir.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Timed repetitions of one workload: warm-up calls first (not timed), then {@code runs} timed runs of
 * {@code callsPerRun} calls each; the median run is the result, since other processes share the CPU.
 */
final class Runs {
    private Runs() {}

    /** Seconds of each timed run. */
    static double[] time(int warmup, int runs, int callsPerRun, Runnable call) {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            for (int c = 0; c < callsPerRun; c++) {
                call.run();
            }
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A result row: work units per second of the median run (and of every run), seconds per call, and the
     * matmul GFLOP/s when {@code flopsPerCall} is positive.
     */
    static Map<String, Object> rate(double[] seconds, int callsPerRun, double unitsPerCall, double flopsPerCall) {
        double median = median(seconds);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("per_s", unitsPerCall * callsPerRun / median);
        row.put("runs_per_s", Arrays.stream(seconds).map(s -> unitsPerCall * callsPerRun / s).boxed().toList());
        row.put("s_per_call", median / callsPerRun);
        if (flopsPerCall > 0) {
            row.put("gflops", flopsPerCall * callsPerRun / median / 1e9);
        }
        row.put("calls_per_run", callsPerRun);
        return row;
    }

    static List<Double> list(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
