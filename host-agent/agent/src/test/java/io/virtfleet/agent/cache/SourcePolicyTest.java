package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.net.InetAddress;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourcePolicyTest {
    private final SourcePolicy strict = new SourcePolicy(Set.of("Mirror.lan"), false);

    @Test
    void plainHttpOnlyForListedHosts() {
        assertThatCode(() -> strict.checkUrl(ImageUrl.parse("http://mirror.lan/a.qcow2"))).doesNotThrowAnyException();
        assertThatCode(() -> strict.checkUrl(ImageUrl.parse("https://other.example/a.qcow2"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> strict.checkUrl(ImageUrl.parse("http://other.example/a.qcow2")))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.UNSUPPORTED_IMAGE_URL);
                    assertThat(e.getMessage()).contains("VIRTFLEET_AGENT_IMAGE_HTTP_HOSTS");
                });
    }

    @Test
    void refusesLinkLocalAndMetadataAddressesUnlessAllowed() throws Exception {
        for (String address : new String[]{"169.254.169.254", "169.254.170.2", "[fe80::1]", "[fd00:ec2::254]",
                "100.100.100.200", "0.0.0.0"}) {
            URI target = URI.create("https://" + address + "/latest/meta-data");
            assertThatThrownBy(() -> strict.checkTarget(target, "image")).as(address)
                    .isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.getMessage()).contains("link-local or metadata"));
            new SourcePolicy(Set.of(), true).checkTarget(target, "image");
        }
        strict.checkTarget(URI.create("https://127.0.0.1/a.qcow2"), "image");
        strict.checkTarget(URI.create("https://10.1.2.3/a.qcow2"), "image");
        assertThat(SourcePolicy.forbidden(InetAddress.getByName("::ffff:169.254.169.254"))).isTrue();
    }

    @Test
    void redirectTargetsMustBeHttpOrHttps() {
        assertThatThrownBy(() -> strict.checkTarget(URI.create("file:///etc/passwd"), "image"))
                .isInstanceOf(AgentException.class).hasMessageContaining("only https");
    }
}
