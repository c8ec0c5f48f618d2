package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final ImageUrl SIDECAR = ImageUrl.parse("s3://images/debian.qcow2").sidecar();

    @Test
    void readsABareDigest() {
        assertThat(Sha256.parseSidecar(DIGEST + "\n", SIDECAR)).isEqualTo(DIGEST);
    }

    @Test
    void readsSha256sumOutputInTextAndBinaryMode() {
        assertThat(Sha256.parseSidecar(DIGEST + "  debian.qcow2\n", SIDECAR)).isEqualTo(DIGEST);
        assertThat(Sha256.parseSidecar(DIGEST + " *debian.qcow2\n", SIDECAR)).isEqualTo(DIGEST);
        assertThat(Sha256.parseSidecar(DIGEST.toUpperCase() + "  debian.qcow2\nother line\n", SIDECAR)).isEqualTo(DIGEST);
    }

    @Test
    void rejectsSomethingElseAsChecksumUnavailable() {
        assertThatThrownBy(() -> Sha256.parseSidecar("<html>not found</html>", SIDECAR))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("s3://images/debian.qcow2.sha256");
                });
    }

    @Test
    void normalizesRequestDigestsAndRejectsMalformedOnes() {
        assertThat(Sha256.normalize(" " + DIGEST.toUpperCase() + " ")).isEqualTo(DIGEST);
        assertThatThrownBy(() -> Sha256.normalize("abc")).isInstanceOf(AgentException.class)
                .hasMessageContaining("64 hex digits");
    }
}
