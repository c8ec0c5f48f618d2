package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformPrefixesTest {
    private final List<String> prefixes = PlatformPrefixes.parse("base-images, shared/os/ ,");

    @Test
    void parsesBucketsAndPrefixes() {
        assertThat(prefixes).containsExactly("base-images/", "shared/os/");
        assertThatThrownBy(() -> PlatformPrefixes.parse("/key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allowsOnlyListedBucketsAndPrefixes() {
        assertThat(PlatformPrefixes.allows(prefixes, "base-images", "any/key.qcow2")).isTrue();
        assertThat(PlatformPrefixes.allows(prefixes, "shared", "os/debian.qcow2")).isTrue();
        assertThat(PlatformPrefixes.allows(prefixes, "shared", "tenant-b/private.qcow2")).isFalse();
        assertThat(PlatformPrefixes.allows(prefixes, "base-images-private", "x.qcow2")).isFalse();
        assertThat(PlatformPrefixes.allows(List.of(), "base-images", "x.qcow2")).isFalse();
    }

    @Test
    void refusesWithAReasonNamingTheSetting() {
        assertThatCode(() -> PlatformPrefixes.check(prefixes, ImageUrl.parse("s3://shared/os/a.qcow2")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> PlatformPrefixes.check(List.of(), ImageUrl.parse("s3://shared/os/a.qcow2")))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES is empty");
                });
        assertThatThrownBy(() -> PlatformPrefixes.check(prefixes, ImageUrl.parse("s3://shared/tenant-b/a.qcow2")))
                .hasMessageContaining("base-images/, shared/os/");
    }
}
