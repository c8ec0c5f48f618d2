package io.virtfleet.operator.image;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.status.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tenant reads about a catalogue image: the agents' own texts, with every form of the URL they print. */
class CatalogImageTextTest {
    private static final String S3_URL = "s3://virtfleet-images/catalog/debian-12.qcow2";
    private static final String SIGNED_URL = "https://Images.Example.com:8443/base/debian-12.qcow2"
            + "?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=0a1b2c3d";

    @Test
    void anObjectStoreUrlIsNamedByTheImageInEveryFormTheAgentPrints() {
        CatalogImageText text = CatalogImageText.of("debian-12", S3_URL);
        String[] agentTexts = {
            "image " + S3_URL + " does not exist", // S3Source
            "image " + S3_URL + " has SHA-256 " + "a".repeat(64) + " but " + "b".repeat(64) + " was expected",
            "read " + S3_URL + ".sha256 failed", // the sidecar
            "the object store does not answer for MINIO://virtfleet-images/catalog/debian-12.qcow2: Connection refused",
            "download of " + S3_URL + " failed: NoSuchKey Object does not exist, resource "
                    + "/virtfleet-images/catalog/debian-12.qcow2",
        };
        for (String agentText : agentTexts) {
            assertThat(text.forTenant(agentText)).as(agentText).contains("catalogue image debian-12")
                    .doesNotContainIgnoringCase("virtfleet-images").doesNotContain("catalog/debian-12.qcow2");
        }
        assertThat(text.forTenant("image " + S3_URL + " does not exist"))
                .as("reads as a sentence").isEqualTo("catalogue image debian-12 does not exist");
    }

    @Test
    void aSignedHttpsUrlLeavesNeitherItsQueryNorItsHostOrPath() {
        CatalogImageText text = CatalogImageText.of("debian-12", SIGNED_URL);
        String[] agentTexts = {
            "image https://images.example.com:8443/base/debian-12.qcow2?… does not exist", // ImageUrl.toString()
            "read https://images.example.com:8443/base/debian-12.qcow2.sha256?… failed: 403", // the sidecar
            "download of https://images.example.com:8443/base/debian-12.qcow2 failed: timed out",
            "request to " + SIGNED_URL + " failed", // as given, should anything print it whole
            "signature X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=0a1b2c3d refused",
        };
        for (String agentText : agentTexts) {
            assertThat(text.forTenant(agentText)).as(agentText).contains("catalogue image debian-12")
                    .doesNotContainIgnoringCase("example.com").doesNotContain("AKIAEXAMPLE", "0a1b2c3d", "/base/");
        }
    }

    @Test
    void aMissingSecretIsNotNamedToTheTenant() {
        assertThat(CatalogImageText.of("debian-12", S3_URL).credentialsUnavailable())
                .isEqualTo("the catalogue image debian-12's credentials are not available; ask the platform team");
    }

    /** The agents' list of platform prefixes is the platform's configuration, not the tenant's business. */
    @Test
    void aSourceTheAgentsKeysMayNotReadNamesNeitherThePrefixesNorTheSetting() {
        ConditionedStatus status = new RootVolumeStatus();
        Outcome<RootVolumePhase> refused = Outcome.notReady(RootVolumePhase.Failed,
                AgentErrorReasons.SOURCE_NOT_ALLOWED, "image " + S3_URL + " comes without credentials, and the "
                        + "platform's S3 keys may read only secret-bucket/ (VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES); give "
                        + "the image a credentials Secret of its own or ask the platform to list it", null);

        Outcome<RootVolumePhase> shown = CatalogImageText.of("debian-12", S3_URL).forTenant(status, refused);

        assertThat(shown.message()).isEqualTo("the agents may not read catalogue image debian-12 with their own "
                + "object-store keys; ask the platform team").doesNotContain("secret-bucket", "VIRTFLEET");
        assertThat(shown.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
    }

    @Test
    void aUrlImageKeepsTheTenantsOwnWords() {
        String message = "image " + S3_URL + " does not exist";
        assertThat(CatalogImageText.unchanged().forTenant(message)).isEqualTo(message);
        assertThat(CatalogImageText.unchanged().forTenant(null)).isNull();
    }
}
