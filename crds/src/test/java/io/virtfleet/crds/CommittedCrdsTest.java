package io.virtfleet.crds;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD YAML beside the crds pom is what {@code kubectl apply -f crds/} installs; it must be exactly what the
 * generator makes from the Java model, or the cluster and the operator disagree about the schema.
 */
class CommittedCrdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml"})
    void committedCrdMatchesGenerated(String file) throws IOException {
        String generated;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
            assertThat(in).as("generated CRD %s on the classpath", file).isNotNull();
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String committed = Files.readString(Path.of(file));
        assertThat(committed)
                .as("crds/%s differs from the generated CRD; run: cp crds/target/classes/META-INF/fabric8/*.yml crds/", file)
                .isEqualTo(generated);
    }
}
