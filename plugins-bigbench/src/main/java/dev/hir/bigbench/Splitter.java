package dev.hir.bigbench;

import dev.hir.api.Example;
import dev.hir.api.InvalidInputException;
import dev.hir.api.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a file's examples the way the reference code does. */
final class Splitter {
    private Splitter() {}

    /** Checks the split fields of a configuration record; returns the parsed mode. */
    static SplitMode validate(String split, double trainShare, long splitSeed) {
        SplitMode mode = SplitMode.parse("split", split);
        if (!(trainShare >= 0 && trainShare <= 1)) {
            throw new InvalidInputException("trainShare", "must be in [0, 1], got " + trainShare);
        }
        if (splitSeed < 0 || splitSeed > 0xffffffffL) {
            throw new InvalidInputException("splitSeed", "must be in [0, 2^32), got " + splitSeed);
        }
        return mode;
    }

    static Task split(String name, List<Example> all, SplitMode mode, double trainShare, long seed,
            Map<String, String> metadata) {
        var meta = new LinkedHashMap<>(metadata);
        meta.put("split", mode.configName());
        if (mode == SplitMode.ALL_TEST) {
            return new Task(name, List.of(), all, meta);
        }
        // The run seed may be any long; NumPy takes 32 bits.
        long s = mode == SplitMode.RUN_SEED ? seed & 0xffffffffL : seed;
        int[] perm = new NumpyLegacyRandom(s).permutation(all.size());
        // int(0.8 * N) in Python truncates the double product; so does this cast.
        int nTrain = (int) (trainShare * all.size());
        var train = new ArrayList<Example>(nTrain);
        var test = new ArrayList<Example>(all.size() - nTrain);
        for (int i = 0; i < perm.length; i++) {
            (i < nTrain ? train : test).add(all.get(perm[i]));
        }
        meta.put("splitSeed", Long.toString(s));
        meta.put("trainShare", Double.toString(trainShare));
        return new Task(name, train, test, meta);
    }
}
