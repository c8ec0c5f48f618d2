package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import org.junit.jupiter.api.Test;

class ImageUrlTest {

    @Test
    void parsesObjectStoreUrlsInBothSpellings() {
        ImageUrl url = ImageUrl.parse("s3://images/base/debian-12.qcow2");
        assertThat(url.objectStore()).isTrue();
        assertThat(url.bucket()).isEqualTo("images");
        assertThat(url.key()).isEqualTo("base/debian-12.qcow2");
        assertThat(url.sidecar().key()).isEqualTo("base/debian-12.qcow2.sha256");
        assertThat(url.sidecar().toString()).isEqualTo("s3://images/base/debian-12.qcow2.sha256");
        assertThat(ImageUrl.parse("minio://images/x").bucket()).isEqualTo("images");
        assertThatThrownBy(() -> ImageUrl.parse("s3://bucket-only/")).isInstanceOf(AgentException.class);
    }

    @Test
    void parsesHttpUrlsKeepingThemByteForByteButShowingThemWithoutQuery() {
        String presigned = "https://Mirror.example.org:8443/img/debian%2012.qcow2?X-Amz-Signature=abc%2Fdef&X-Amz-Credential=k";
        ImageUrl url = ImageUrl.parse(presigned);

        assertThat(url.objectStore()).isFalse();
        assertThat(url.text()).isEqualTo(presigned);
        assertThat(url.uri().toString()).isEqualTo(presigned);
        assertThat(url.toString()).isEqualTo("https://mirror.example.org:8443/img/debian%2012.qcow2?…")
                .doesNotContain("Signature");
        assertThat(url.sidecar().uri().toString())
                .isEqualTo("https://Mirror.example.org:8443/img/debian%2012.qcow2.sha256?X-Amz-Signature=abc%2Fdef&X-Amz-Credential=k");
        assertThat(ImageUrl.parse("http://10.0.0.5/images/a.qcow2").uri().getHost()).isEqualTo("10.0.0.5");
    }

    @Test
    void refusesOtherSchemesUserInfoAndUrlsWithoutPath() {
        for (String refused : new String[]{"file:///etc/shadow", "ftp://mirror/x.qcow2", "gopher://x/y", "/var/x.qcow2",
                "https://mirror.example.org", "https://mirror.example.org/", "https://mirror.example.org/x#frag"}) {
            assertThatThrownBy(() -> ImageUrl.parse(refused)).as(refused)
                    .isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.UNSUPPORTED_IMAGE_URL));
        }
        assertThatThrownBy(() -> ImageUrl.parse("https://user:hunter2@mirror.example.org/x.qcow2"))
                .isInstanceOf(AgentException.class).message().doesNotContain("hunter2");
    }
}
