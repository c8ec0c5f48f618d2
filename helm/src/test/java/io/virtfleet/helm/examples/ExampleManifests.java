package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.virtfleet.helm.RepoFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects in the manifests under examples/, one entry per YAML document that has a kind. */
final class ExampleManifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One object of one example file. */
    record ExampleObject(Path file, String kind, String name, JsonNode tree, String yaml) {
        String relativeFile() {
            return RepoFiles.EXAMPLES.relativize(file).toString();
        }

        @Override
        public String toString() {
            return relativeFile() + " " + kind + "/" + name;
        }
    }

    private ExampleManifests() {
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.walk(RepoFiles.EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ExampleObject> objects() {
        return files().stream().flatMap(file -> read(file).stream()).toList();
    }

    static List<ExampleObject> read(Path file) {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            List<ExampleObject> objects = new ArrayList<>();
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (doc.hasNonNull("kind")) {
                    objects.add(new ExampleObject(file, doc.get("kind").asText(), doc.at("/metadata/name").asText(),
                            doc, YAML.writeValueAsString(doc)));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
