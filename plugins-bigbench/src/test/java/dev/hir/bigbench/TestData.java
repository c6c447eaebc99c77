package dev.hir.bigbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Where the tests find real and fixture data. */
final class TestData {
    private TestData() {}

    /** The real BBH files: system property {@code bbh.dir} (set by the build), else relative to the module. */
    static Path bbhDir() {
        String d = System.getProperty("bbh.dir", "");
        return Path.of(d.isBlank() ? "../../shared/data/bbh" : d).toAbsolutePath();
    }

    static Path resource(String name) {
        try {
            return Path.of(TestData.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The permutation NumPy printed for a seed and length (fixture {@code numpy-permutations.txt}). */
    static int[] numpyPermutation(long seed, int n) {
        try {
            for (String line : Files.readAllLines(resource("numpy-permutations.txt"))) {
                String[] f = line.split(" ");
                if (!line.startsWith("#") && Long.parseLong(f[0]) == seed && Integer.parseInt(f[1]) == n) {
                    return Arrays.stream(f, 2, f.length).mapToInt(Integer::parseInt).toArray();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no fixture for seed " + seed + ", n " + n);
    }

    static Path write(Path dir, String name, List<String> lines) {
        try {
            return Files.write(dir.resolve(name), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
