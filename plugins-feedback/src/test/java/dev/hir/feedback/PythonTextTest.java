package dev.hir.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonTextTest {

    // Expected values are what CPython 3.11 prints for repr(s.lower()).
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "(B)|(b)",
        "ÄBC|äbc",
        "İ|i̇",
        "STRAßE|straße",
        "ǅ|ǆ",
        "ΟΔΟΣ|οδος",
        "ΟΔΟΣ ΟΔΟΣ|οδος οδος",
        "Α1Σ|α1σ",
        "ΑΣ1|ας1",
        "Α.Σ|α.ς",
        "Α'Σ|α'ς",
        "Α Σ|α σ",
        "ΣΑ|σα",
        "Σ|σ",
        "ΑΣΑ|ασα",
        "Ⅻ|ⅻ",
        "ᾈ|ᾀ",
    })
    void lowerMatchesPython(String input, String python) {
        assertEquals(python, PythonText.lower(input));
    }

    @Test
    void javaToLowerCaseWouldDifferFromPythonOnFinalSigma() {
        // Why PythonText exists: Java decides the final sigma inside a word, Python by cased neighbours.
        assertEquals("α1ς", "Α1Σ".toLowerCase(Locale.ROOT));
        assertNotEquals("Α1Σ".toLowerCase(Locale.ROOT), PythonText.lower("Α1Σ"));
    }

    @Test
    void kelvinSignLowersToLatinK() {
        assertEquals("k", PythonText.lower("\u212A"));
    }

    @Test
    void foldCaseMapsEveryPrefixToAPrefix() {
        for (String s : new String[] {"ΟΔΟΣ ΑΣΑ", "İSTANBUL", "ΑΣ", "Straße"}) {
            String whole = PythonText.foldCase(s);
            for (int i = 0; i <= s.length(); i++) {
                String prefix = PythonText.foldCase(s.substring(0, i));
                assertTrue(whole.startsWith(prefix), s + " at " + i);
            }
        }
    }
}
