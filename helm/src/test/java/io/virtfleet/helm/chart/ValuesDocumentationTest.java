package io.virtfleet.helm.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** values.yaml is the chart's manual: every setting carries a "# --" comment and a type in values.schema.json. */
class ValuesDocumentationTest {
    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):(.*)$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** An open key while walking the file: its indentation and whether it (or an ancestor) is documented. */
    private record OpenKey(int indent, boolean documented) {
    }

    @Test
    void everySettingHasADocComment() throws IOException {
        List<String> lines = Files.readAllLines(RepoFiles.CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Deque<OpenKey> open = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = KEY.matcher(lines.get(i));
            if (!key.matches()) {
                continue;
            }
            int indent = key.group(1).length();
            while (!open.isEmpty() && open.peek().indent() >= indent) {
                open.pop();
            }
            boolean insideDocumented = !open.isEmpty() && open.peek().documented();
            boolean documented = insideDocumented || commentAbove(lines, i);
            boolean group = key.group(3).isBlank() && i + 1 < lines.size() && indentOf(lines.get(i + 1)) > indent;
            if (!documented && !group) {
                undocumented.add((i + 1) + ": " + lines.get(i).strip());
            }
            open.push(new OpenKey(indent, documented));
        }

        assertThat(undocumented).as("settings without a '# --' comment").isEmpty();
    }

    @Test
    void everySettingIsDeclaredInTheSchema() throws IOException {
        JsonNode values = YAML.readTree(RepoFiles.CHART.resolve("values.yaml").toFile());
        JsonNode schema = new ObjectMapper().readTree(RepoFiles.CHART.resolve("values.schema.json").toFile());
        List<String> undeclared = new ArrayList<>();

        collectUndeclared(values, schema, schema, "", undeclared);

        assertThat(undeclared).as("values.yaml keys missing from values.schema.json").isEmpty();
    }

    private static void collectUndeclared(JsonNode values, JsonNode schema, JsonNode root, String path, List<String> out) {
        JsonNode resolved = schema.has("$ref") ? root.at(schema.get("$ref").asText().substring(1)) : schema;
        if (!values.isObject() || !resolved.has("properties")) {
            return;
        }
        values.properties().forEach(field -> {
            JsonNode declared = resolved.get("properties").get(field.getKey());
            if (declared == null) {
                out.add(path + "." + field.getKey());
            } else {
                collectUndeclared(field.getValue(), declared, root, path + "." + field.getKey(), out);
            }
        });
    }

    /** True when the comment block right above line i starts with "# --" (helm-docs style). */
    private static boolean commentAbove(List<String> lines, int i) {
        int j = i - 1;
        while (j >= 0 && lines.get(j).strip().startsWith("#") && !lines.get(j).strip().startsWith("# --")) {
            j--;
        }
        return j >= 0 && j < i && lines.get(j).strip().startsWith("# --");
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
    }
}
