package dev.hir.bigbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NumpyLegacyRandomTest {

    /** The fixture holds permutations printed by NumPy 1.24 ({@code np.random.seed(s); np.random.permutation(n)}). */
    @Test
    void permutationMatchesNumpyLegacyRandomState() throws IOException {
        int checked = 0;
        try (var in = getClass().getResourceAsStream("numpy-permutations.txt");
                var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                long seed = Long.parseLong(f[0]);
                int n = Integer.parseInt(f[1]);
                int[] expected = Arrays.stream(f, 2, f.length).mapToInt(Integer::parseInt).toArray();
                assertArrayEquals(expected, new NumpyLegacyRandom(seed).permutation(n), "seed " + seed + ", n " + n);
                checked++;
            }
        }
        assertEquals(5, checked);
    }

    @Test
    void firstOutputOfSeedOneIsTheKnownMt19937Value() {
        // genrand_int32 after init_genrand(1) is 1791095845 (the MT19937 reference sequence).
        assertEquals(1791095845L, new NumpyLegacyRandom(1).nextUint32());
    }
}
