package dev.hir.bigbench.families;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real BIG-Bench-Hard examples of one family, read from {@code bbh.dir} (never copied into the repo). */
final class RealBbh {

    record Item(int index, String input, String target) {}

    private RealBbh() {}

    static Path dir() {
        String configured = System.getProperty("bbh.dir");
        return configured == null || configured.isBlank() ? Path.of("../../shared/data/bbh") : Path.of(configured);
    }

    static List<Item> load(String family) {
        Path file = dir().resolve(family + ".json");
        try {
            JsonNode examples = new ObjectMapper().readTree(Files.readString(file)).get("examples");
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                JsonNode e = examples.get(i);
                items.add(new Item(i, e.get("input").asText(), e.get("target").asText()));
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
