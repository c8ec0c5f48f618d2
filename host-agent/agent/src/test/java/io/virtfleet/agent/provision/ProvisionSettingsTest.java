package io.virtfleet.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cache.ImageUrl;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provisioning call's settings: off by default, images only under listed folders compared canonically. */
class ProvisionSettingsTest {
    private final ProvisionImagePrefixes prefixes = ProvisionImagePrefixes.parse(
            "s3://images/golden/, https://Mirror.Example.org:8443/images/");

    @Test
    void isOffWithNoImagesUnlessConfigured() {
        ProvisionSettings none = ProvisionSettings.fromEnvironment(name -> Optional.empty());
        assertThat(none).isEqualTo(ProvisionSettings.DISABLED);
        assertThatThrownBy(() -> none.imagePrefixes().check(ImageUrl.parse("s3://images/golden/disk.raw")))
                .hasMessageContaining("is empty");

        Map<String, String> env = Map.of("PROVISION_API", "true", "PROVISION_IMAGE_PREFIXES", "minio://images/golden/",
                "PROVISION_WAIT_SECONDS", "5");
        ProvisionSettings on = ProvisionSettings.fromEnvironment(name -> Optional.ofNullable(env.get(name)));
        assertThat(on.enabled()).isTrue();
        assertThat(on.imagePrefixes().entries()).containsExactly("s3://images/golden/");
        assertThat(on.waitCeiling()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void allowsImagesUnderAPrefixInAnySpelling() {
        prefixes.check(ImageUrl.parse("s3://images/golden/disk.raw"));
        prefixes.check(ImageUrl.parse("minio://images/golden/sub/disk.qcow2"));
        prefixes.check(ImageUrl.parse("HTTPS://mirror.example.ORG:8443/images/disk.qcow2?X-Amz-Signature=abc"));
    }

    @Test
    void refusesEverythingElse() {
        for (String url : new String[]{"s3://images/goldenx/disk.raw", "s3://images/disk.raw", "s3://other/golden/x",
                "s3://images/golden/../secret", "s3://images/golden/%2E%2E/secret", "s3://images/golden/a%2fb",
                "https://mirror.example.org/images/x", "https://mirror.example.org:8443/images/../x",
                "https://mirror.example.org:8443/imagesx", "https://mirror.example.org.evil:8443/images/x",
                "http://mirror.example.org:8443/images/x"}) {
            assertThatThrownBy(() -> prefixes.check(ImageUrl.parse(url))).as(url).isInstanceOf(AgentException.class)
                    .extracting(e -> ((AgentException) e).reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
        }
    }

    @Test
    void refusesPrefixesThatAreNotFolders() {
        for (String entry : new String[]{"s3://images/golden", "https://mirror.example.org", "file:///srv/images/",
                "https://user:pw@mirror.example.org/images/", "https://mirror.example.org/images/?x=1/",
                "https://mirror.example.org/a/../images/", "images/golden/"}) {
            assertThatThrownBy(() -> ProvisionImagePrefixes.parse(entry)).as(entry)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES");
        }
    }
}
