package io.virtfleet.helm.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One entry of a health_test.yaml (Argo CD's format): a sample object and the health expected for it. */
public record HealthTestCase(String kind, Path input, HealthStatus expected) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The cases of {@code <dir>/health_test.yaml}; inputPath is relative to dir. */
    public static List<HealthTestCase> load(Path dir) {
        try {
            List<HealthTestCase> cases = new ArrayList<>();
            for (JsonNode test : YAML.readTree(dir.resolve("health_test.yaml").toFile()).get("tests")) {
                JsonNode expected = test.get("healthStatus");
                cases.add(new HealthTestCase(dir.getFileName().toString(), dir.resolve(test.get("inputPath").asText()),
                        new HealthStatus(expected.get("status").asText(), expected.get("message").asText())));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode resource() throws IOException {
        return YAML.readTree(input.toFile());
    }

    @Override
    public String toString() {
        return kind + " " + input.getFileName() + " -> " + expected.status();
    }
}
