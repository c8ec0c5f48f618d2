package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourcePolicyTest {
    private final SourcePolicy strict = new SourcePolicy(Set.of("Mirror.lan"), List.of());

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

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
            "100.127.255.254", "169.254.169.254", "169.254.170.2", "0.0.0.0", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "100.100.100.200",
            "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "fdff:ffff::1", "ff02::1", "fec0::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
            "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2002:c0a8:101::1"})
    void refusesEveryPrivateOrSpecialRangeAndItsIpv6Forms(String literal) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        assertThat(SourcePolicy.refused(address)).as(literal).isTrue();
        assertThatThrownBy(() -> strict.lookup(literal)).as(literal).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
            assertThat(e.getMessage()).contains("VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void acceptsPublicAddresses(String literal) throws Exception {
        assertThat(SourcePolicy.refused(InetAddress.getByName(literal))).as(literal).isFalse();
        assertThat(strict.lookup(literal)).hasSize(1);
    }

    @Test
    void allowedNetworksOpenExactlyTheirRanges() throws Exception {
        SourcePolicy lan = new SourcePolicy(Set.of(), List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("::1"),
                Cidr.parse("169.254.169.254/32")));
        assertThat(lan.lookup("10.20.3.4")).hasSize(1);
        assertThat(lan.lookup("::1")).hasSize(1);
        assertThat(lan.lookup("169.254.169.254")).hasSize(1);
        assertThatThrownBy(() -> lan.lookup("10.21.0.1")).isInstanceOf(AgentException.class);
        assertThatThrownBy(() -> lan.lookup("127.0.0.1")).isInstanceOf(AgentException.class);
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAnswersIsAndTheCheckedAnswersAreWhatIsReturned() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        SourcePolicy mixed = new SourcePolicy(Set.of(), List.of(), host -> new InetAddress[]{publicAddress, loopback});
        assertThatThrownBy(() -> mixed.lookup("images.example")).hasMessageContaining("127.0.0.1");
        SourcePolicy plain = new SourcePolicy(Set.of(), List.of(), host -> new InetAddress[]{publicAddress});
        assertThat(plain.lookup("images.example")).containsExactly(publicAddress);
    }

    @Test
    void parsesCidrsAndRefusesNames() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(new byte[]{10, (byte) 255, 0, 1})).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(new byte[]{11, 0, 0, 1})).isFalse();
        assertThat(Cidr.parse("100.64.0.0/10").contains(new byte[]{100, (byte) 127, 0, 1})).isTrue();
        assertThat(Cidr.parse("100.64.0.0/10").contains(new byte[]{100, (byte) 128, 0, 1})).isFalse();
        assertThatThrownBy(() -> Cidr.parse("mirror.lan/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redirectTargetsMustBeHttpOrHttps() {
        assertThatThrownBy(() -> strict.checkTarget(URI.create("file:///etc/passwd"), "image"))
                .isInstanceOf(AgentException.class).hasMessageContaining("only https");
    }
}
