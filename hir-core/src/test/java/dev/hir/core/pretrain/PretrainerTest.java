package dev.hir.core.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hir.api.InvalidInputException;
import dev.hir.core.config.RunConfigLoader;
import dev.hir.core.run.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    private static PretrainConfig config(int steps) {
        return config(steps, "");
    }

    /** @param evaluation more keys of the evaluation block, each after a comma */
    private static PretrainConfig config(int steps, String evaluation) {
        String yaml = """
                seed: 5
                policy: test-tabular
                generator: test-letters-generator
                feedback: test-exact
                families: [{family: letters}]
                steps: %d
                batch_size: 6
                checkpoint_every: 20
                curriculum: {probe_every: 10, probe_examples: 6, advance_at: 0.9}
                evaluation: {loader: test-letters, every: 20%s}
                corpus_examples: 4
                """.formatted(steps, evaluation);
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "pretrain.yaml", PretrainConfig.class);
    }

    private static List<JsonNode> metrics(Path out) {
        var lines = new ArrayList<JsonNode>();
        for (JsonNode n : new MetricsLog(out.resolve("metrics.jsonl")).lines()) {
            ObjectNode c = n.deepCopy();
            c.remove("seconds");
            c.remove("train_tokens_per_s");
            lines.add(c);
        }
        return lines;
    }

    @Test
    void theCurriculumClimbsEveryLevelAndTheTopLevelIsLearned(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("pre");
        Path last = new Pretrainer(config(80), tmp, out, false, QUIET, false).run();
        assertEquals(out.resolve("checkpoints/step-80"), last);
        List<JsonNode> lines = metrics(out);
        assertEquals(8, lines.size(), "a line per probe interval");
        assertEquals(2, lines.get(lines.size() - 1).at("/levels/letters").asInt(), "reached the top level");
        assertEquals(0, lines.get(0).at("/levels/letters").asInt() > 1 ? 1 : 0, "starts at the bottom");
        assertEquals(1.0, lines.get(lines.size() - 1).at("/eval_accuracy/letters").asDouble(), 1e-9);
        for (int s = 20; s <= 80; s += 20) {
            assertTrue(Files.exists(out.resolve("checkpoints/step-" + s)), "snapshot " + s + " kept");
        }
        assertTrue(Files.readString(out.resolve("corpus.txt")).contains("Q: Level 0 item"));
    }

    @Test
    void aResumedPretrainingLogsWhatAnUninterruptedOneDoes(@TempDir Path tmp) {
        new Pretrainer(config(60), tmp, tmp.resolve("full"), false, QUIET, false).run();
        new Pretrainer(config(40), tmp, tmp.resolve("resumed"), false, QUIET, false).run();
        new Pretrainer(config(60), tmp, tmp.resolve("resumed"), true, QUIET, false).run();
        assertEquals(metrics(tmp.resolve("full")), metrics(tmp.resolve("resumed")));
    }

    /** Two families; "letters" stops at level 0, so it is solved long before "free-letters". */
    private static PretrainConfig twoFamilies(int steps, double solvedWeight) {
        String yaml = """
                seed: 3
                policy: test-tabular
                generator: test-letters-generator
                feedback: test-exact
                families: [{family: letters, max_level: 0}, {family: free-letters}]
                steps: %d
                batch_size: 20
                checkpoint_every: 20
                curriculum: {probe_every: 10, probe_examples: 6, advance_at: 0.9, solved_weight: %s}
                evaluation: {loader: test-letters, every: 20}
                corpus_examples: 2
                """.formatted(steps, solvedWeight);
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "pretrain.yaml", PretrainConfig.class);
    }

    @Test
    void aSolvedFamilyGivesItsShareToTheFamiliesStillClimbing(@TempDir Path tmp) {
        new Pretrainer(twoFamilies(80, 0.2), tmp, tmp.resolve("curriculum"), false, QUIET, false).run();
        new Pretrainer(twoFamilies(80, 1.0), tmp, tmp.resolve("fixed"), false, QUIET, false).run();
        List<JsonNode> curriculum = metrics(tmp.resolve("curriculum"));
        List<JsonNode> fixed = metrics(tmp.resolve("fixed"));
        assertEquals("[\"letters\"]", curriculum.get(0).get("solved").toString(), "letters is solved at the first probe");
        assertTrue(fixed.get(0).at("/solved").isMissingNode(), "fixed weights log no solved families");
        // the interval before the first probe samples alike; then letters draws 0.2/1.2 of the examples until
        // free-letters is solved too, when the two are even again
        assertEquals(fixed.get(0).get("examples"), curriculum.get(0).get("examples"));
        int onlyLettersSolved = 0;
        int bothSolved = 0;
        for (int i = 1; i < curriculum.size(); i++) {
            int letters = curriculum.get(i).at("/examples/letters").asInt();
            assertEquals(200, letters + curriculum.get(i).at("/examples/free-letters").asInt());
            int solved = curriculum.get(i - 1).get("solved").size();
            if (solved == 1) {
                onlyLettersSolved++;
                assertTrue(letters < 60, "letters drew " + letters + " of 200 examples while solved alone");
            } else {
                bothSolved++;
                assertTrue(letters > 60 && letters < 140, "letters drew " + letters + " of 200 with both solved");
            }
        }
        assertTrue(onlyLettersSolved > 0 && bothSolved > 0, onlyLettersSolved + " / " + bothSolved);
        assertEquals(2, curriculum.get(curriculum.size() - 1).at("/levels/free-letters").asInt());
    }

    @Test
    void aResumedFamilyCurriculumKeepsItsSolvedFamilies(@TempDir Path tmp) throws Exception {
        new Pretrainer(twoFamilies(60, 0.2), tmp, tmp.resolve("full"), false, QUIET, false).run();
        new Pretrainer(twoFamilies(40, 0.2), tmp, tmp.resolve("resumed"), false, QUIET, false).run();
        assertTrue(Files.readString(tmp.resolve("resumed/state.json")).contains("\"letters\""), "state.json names the solved family");
        new Pretrainer(twoFamilies(60, 0.2), tmp, tmp.resolve("resumed"), true, QUIET, false).run();
        assertEquals(metrics(tmp.resolve("full")), metrics(tmp.resolve("resumed")));
    }

    @Test
    void theSolvedWeightMustBeAFactorInZeroToOne() {
        var e = assertThrows(InvalidInputException.class, () -> twoFamilies(10, 0));
        assertEquals("pretrain.yaml: curriculum.solved_weight", e.source());
        assertThrows(InvalidInputException.class, () -> twoFamilies(10, 1.5));
    }

    @Test
    void aSolvedFamilyStaysSolvedUntilItsProbeFallsBelowTheLeaveBar() {
        var hysteresis = curriculum("{advance_at: 0.9, solved_weight: 0.25, solved_leave_at: 0.7}");
        assertTrue(hysteresis.solvedAfterProbe(false, true, 0.9), "passing at the top level solves");
        assertFalse(hysteresis.solvedAfterProbe(false, true, 0.8), "a family not yet solved needs the advance bar");
        assertTrue(hysteresis.solvedAfterProbe(true, true, 0.75), "a solved family stays above the leave bar");
        assertFalse(hysteresis.solvedAfterProbe(true, true, 0.69), "and leaves below it");
        assertFalse(hysteresis.solvedAfterProbe(true, false, 1.0), "only the top level counts");
        var plain = curriculum("{advance_at: 0.9, solved_weight: 0.25}");
        assertEquals(0.9, plain.solvedLeaveAt(), "the leave bar defaults to the advance bar");
        assertFalse(plain.solvedAfterProbe(true, true, 0.85), "without it a solved family leaves at any miss");
    }

    @Test
    void theLeaveBarMustNotExceedTheAdvanceBar() {
        var e = assertThrows(InvalidInputException.class, () -> curriculum("{advance_at: 0.8, solved_leave_at: 0.9}"));
        assertEquals("pretrain.yaml: curriculum.solved_leave_at", e.source());
        assertThrows(InvalidInputException.class, () -> curriculum("{solved_leave_at: 0}"));
    }

    private static PretrainConfig.Curriculum curriculum(String yaml) {
        return RunConfigLoader.parse("""
                seed: 5
                policy: test-tabular
                generator: test-letters-generator
                feedback: test-exact
                families: [{family: letters}]
                steps: 10
                curriculum: %s
                evaluation: {loader: test-letters, every: 20}
                """.formatted(yaml).getBytes(StandardCharsets.UTF_8), "pretrain.yaml", PretrainConfig.class).curriculum();
    }

    /** "letters" under a policy that never learns, probed every 10 steps, with the given patience. */
    private static PretrainConfig stuck(int steps, int advanceAfter) {
        return stuck(steps, advanceAfter, "");
    }

    /** @param family more keys of the family's entry, each after a comma */
    private static PretrainConfig stuck(int steps, int advanceAfter, String family) {
        String yaml = """
                seed: 5
                policy: test-frozen
                generator: test-letters-generator
                feedback: test-exact
                families: [{family: letters%s}]
                steps: %d
                batch_size: 6
                checkpoint_every: 20
                curriculum: {probe_every: 10, probe_examples: 6, advance_at: 0.9, advance_after: %d}
                evaluation: {loader: test-letters, every: 20}
                corpus_examples: 2
                """.formatted(family, steps, advanceAfter);
        return RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "pretrain.yaml", PretrainConfig.class);
    }

    private static List<Integer> levels(Path out) {
        return metrics(out).stream().map(l -> l.at("/levels/letters").asInt()).toList();
    }

    @Test
    void aFamilyThatNeverPassesMovesUpAfterTheGivenSteps(@TempDir Path tmp) {
        new Pretrainer(stuck(80, 0), tmp, tmp.resolve("never"), false, QUIET, false).run();
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0), levels(tmp.resolve("never")), "without patience it stays at its copy level");
        metrics(tmp.resolve("never")).forEach(l -> assertTrue(l.at("/probe_accuracy/letters").asDouble() < 0.9, l.toString()));

        var logged = new ByteArrayOutputStream();
        new Pretrainer(stuck(80, 30), tmp, tmp.resolve("patient"), false,
                new PrintStream(logged, true, StandardCharsets.UTF_8), false).run();
        // probes at 10, 20, ...: level 0 from step 0 moves at the probe of step 30, level 1 at step 60
        assertEquals(List.of(0, 0, 1, 1, 1, 2, 2, 2), levels(tmp.resolve("patient")));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains(
                "after 30 steps at level 0, moving to level 1 (advance_after)"), logged.toString());
    }

    @Test
    void aFamilysOwnPatienceOverridesTheCurriculums(@TempDir Path tmp) {
        new Pretrainer(stuck(80, 30, ", advance_after: 0"), tmp, tmp.resolve("held"), false, QUIET, false).run();
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0), levels(tmp.resolve("held")), "0 holds this family at its level");
        new Pretrainer(stuck(80, 0, ", advance_after: 20"), tmp, tmp.resolve("hurried"), false, QUIET, false).run();
        assertEquals(List.of(0, 1, 1, 2, 2, 2, 2, 2), levels(tmp.resolve("hurried")));
        var e = assertThrows(InvalidInputException.class, () -> stuck(10, 0, ", advance_after: -5"));
        assertEquals("pretrain.yaml: families[0].advance_after", e.source());
    }

    @Test
    void aResumedRunKeepsTheStepEachLevelWasEntered(@TempDir Path tmp) throws Exception {
        new Pretrainer(stuck(80, 30), tmp, tmp.resolve("full"), false, QUIET, false).run();
        new Pretrainer(stuck(40, 30), tmp, tmp.resolve("resumed"), false, QUIET, false).run();
        assertTrue(Files.readString(tmp.resolve("resumed/state.json")).contains("\"level_since\""), "state.json has level_since");
        new Pretrainer(stuck(80, 30), tmp, tmp.resolve("resumed"), true, QUIET, false).run();
        // counted from the resume instead, level 1 (entered at step 30) would move at step 70, not 60
        assertEquals(metrics(tmp.resolve("full")), metrics(tmp.resolve("resumed")));
    }

    @Test
    void patienceIsAStepCountOrZero() {
        assertEquals(0, curriculum("{advance_at: 0.9}").advanceAfter(), "off by default");
        var e = assertThrows(InvalidInputException.class, () -> curriculum("{advance_after: -1}"));
        assertEquals("pretrain.yaml: curriculum.advance_after", e.source());
    }

    @Test
    void aShareOfExamplesTeachesTheWrongAnswerInstruction(@TempDir Path tmp) throws Exception {
        var rows = wrongInstructionRows(new Pretrainer(wrongShareConfig("letters", ""), tmp, tmp.resolve("o"), false, QUIET, false).run());
        assertNoGoldAnswers(rows);
        assertTrue(!rows.isEmpty(), "some examples are asked under the wrong-answer instruction");
        assertThrows(InvalidInputException.class, () -> RunConfigLoader.parse(
                wrongShareYaml("letters", "").replace("0.5", "1.0").getBytes(StandardCharsets.UTF_8), "p.yaml", PretrainConfig.class));
    }

    /** A short pretraining of one test family with half of the examples under the wrong-answer instruction. */
    private static String wrongShareYaml(String family, String extra) {
        return "policy: test-tabular\ngenerator: test-letters-generator\nfeedback: test-exact\n"
                + "families: [{family: " + family + "}]\nsteps: 20\nbatch_size: 6\ncheckpoint_every: 20\n"
                + "curriculum: {probe_every: 10}\nevaluation: {loader: test-letters, every: 20}\n"
                + "wrong_instruction_share: 0.5\n" + extra;
    }

    private static PretrainConfig wrongShareConfig(String family, String extra) {
        return RunConfigLoader.parse(wrongShareYaml(family, extra).getBytes(StandardCharsets.UTF_8), "p.yaml", PretrainConfig.class);
    }

    /** The prompts the tabular policy trained on under the wrong-answer instruction, with their best answer. */
    private static java.util.Map<String, Integer> wrongInstructionRows(Path checkpoint) throws Exception {
        JsonNode table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(checkpoint.resolve("table.json").toFile()).get("logits");
        var rows = new java.util.LinkedHashMap<String, Integer>();
        for (var it = table.fieldNames(); it.hasNext(); ) {
            String prompt = it.next();
            if (prompt.startsWith("Solve the question with wrong answer.")) {
                JsonNode logits = table.get(prompt);
                int argmax = 0;
                for (int i = 1; i < 3; i++) {
                    argmax = logits.get(i).asDouble() > logits.get(argmax).asDouble() ? i : argmax;
                }
                rows.put(prompt, argmax);
            }
        }
        return rows;
    }

    /** No prompt asked under the wrong-answer instruction learned its gold letter. */
    private static void assertNoGoldAnswers(java.util.Map<String, Integer> rows) {
        rows.forEach((prompt, argmax) -> {
            var m = java.util.regex.Pattern.compile("Level (\\d) item (\\d)").matcher(prompt);
            assertTrue(m.find(), prompt);
            String gold = TestLetters.example(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))).target();
            assertTrue(argmax != gold.charAt(1) - 'A', "a wrong-instruction row learned the gold answer: " + prompt);
        });
    }

    @Test
    void wrongAnswersWaitUntilTheFamilyReachesTheGivenLevel(@TempDir Path tmp) throws Exception {
        var neverReached = wrongShareConfig("letters", "wrong_instruction_from_level: 3\n");
        assertTrue(wrongInstructionRows(new Pretrainer(neverReached, tmp, tmp.resolve("never"), false, QUIET, false).run()).isEmpty(),
                "a family below the level is never asked under the wrong-answer instruction");

        var afterCopy = wrongShareConfig("letters", "wrong_instruction_from_level: 1\n");
        var rows = wrongInstructionRows(new Pretrainer(afterCopy, tmp, tmp.resolve("after"), false, QUIET, false).run());
        assertTrue(!rows.isEmpty(), "once the family passed its copy level, a share of its examples has wrong answers");
        assertNoGoldAnswers(rows);

        var e = assertThrows(InvalidInputException.class, () -> wrongShareConfig("letters", "wrong_instruction_from_level: -1\n"));
        assertEquals("p.yaml: wrong_instruction_from_level", e.source());
    }

    @Test
    void freeFormExamplesLearnTheWrongAnswerInstructionOnlyWhenAskedTo(@TempDir Path tmp) throws Exception {
        var multipleChoiceOnly = wrongShareConfig("free-letters", "");
        assertTrue(wrongInstructionRows(new Pretrainer(multipleChoiceOnly, tmp, tmp.resolve("mc"), false, QUIET, false).run()).isEmpty(),
                "by default only multiple-choice examples get a wrong answer");

        var freeForm = wrongShareConfig("free-letters", "wrong_free_form_answers: true\n");
        var rows = wrongInstructionRows(new Pretrainer(freeForm, tmp, tmp.resolve("free"), false, QUIET, false).run());
        assertTrue(!rows.isEmpty(), "free-form examples are asked under the wrong-answer instruction");
        // the wrong answer is another example's answer, never the gold one
        assertNoGoldAnswers(rows);
    }

    @Test
    void realAnswersLongerThanTheEvaluationLimitAreNamedAtTheStart(@TempDir Path tmp) {
        // The test policy's tokens are characters, and every answer ("(A)") has three.
        PretrainConfig cut = config(20, ", max_new_tokens: 2");
        var said = new ByteArrayOutputStream();
        new Pretrainer(cut, tmp, tmp.resolve("cut"), false, new PrintStream(said, true, StandardCharsets.UTF_8), false).run();
        String log = said.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("warning: evaluation of letters: ") && log.contains("longer than max_new_tokens 2 (the longest"
                + " takes 3 tokens)") && log.contains("raise evaluation.max_new_tokens"), log);

        var fits = new ByteArrayOutputStream();
        new Pretrainer(config(20), tmp, tmp.resolve("fits"), false, new PrintStream(fits, true, StandardCharsets.UTF_8), false).run();
        assertFalse(fits.toString(StandardCharsets.UTF_8).contains("warning:"));
    }

    @Test
    void anUnknownFamilyIsNamed(@TempDir Path tmp) {
        String yaml = "policy: test-tabular\ngenerator: test-letters-generator\nfeedback: test-exact\nfamilies: [{family: digits}]\n";
        var c = RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "p.yaml", PretrainConfig.class);
        var e = assertThrows(InvalidInputException.class, () -> new Pretrainer(c, tmp, tmp.resolve("o"), false, QUIET, false).run());
        assertEquals("families[0].family", e.source());
    }

    @Test
    void checkpointsMustFallOnProbeBoundaries(@TempDir Path tmp) {
        String yaml = "policy: p\nfamilies: [{family: letters}]\ncheckpoint_every: 15\ncurriculum: {probe_every: 10}\n";
        var c = RunConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "p.yaml", PretrainConfig.class);
        var e = assertThrows(InvalidInputException.class, () -> new Pretrainer(c, tmp, tmp.resolve("o"), false, QUIET, false));
        assertEquals("checkpoint_every", e.source());
    }
}
