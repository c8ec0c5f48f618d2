package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void readsTheEnvironmentWithDefaults() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                "VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls",
                "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator",
                "VIRTFLEET_AGENT_NODE_NAME", "hv1",
                "VIRTFLEET_AGENT_DOMAIN_TYPE", "qemu",
                "VIRTFLEET_AGENT_S3_ENDPOINT", "http://minio:9000",
                "VIRTFLEET_AGENT_S3_ACCESS_KEY", "access",
                "VIRTFLEET_AGENT_S3_SECRET_KEY", "s3-secret-value"));

        assertThat(config.nodeName()).isEqualTo("hv1");
        assertThat(config.port()).isEqualTo(AgentConfig.DEFAULT_PORT);
        assertThat(config.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(config.defaultPool()).isEqualTo(AgentConfig.DEFAULT_POOL);
        assertThat(config.poolPath()).isNull();
        assertThat(config.cacheDir()).isEqualTo(Path.of("/var/lib/virtfleet/cache"));
        assertThat(config.domainType()).isEqualTo(DomainTypeSetting.QEMU);
        assertThat(config.s3().endpoint().toString()).isEqualTo("http://minio:9000");
        assertThat(config.s3().region()).isEqualTo("us-east-1");
        assertThat(config.token()).as("no shared token: the client certificate is the credential").isNull();
        assertThat(config.tls()).isEqualTo(io.virtfleet.agent.contract.tls.TlsFiles.inDirectory(
                Path.of("/etc/virtfleet/tls"), "virtfleet-operator"));
        assertThat(config.scheme()).isEqualTo("https");
        assertThat(config.insecurePlainHttp()).isFalse();
        assertThat(config.probePort()).isEqualTo(AgentConfig.DEFAULT_PROBE_PORT);
    }

    @Test
    void servesOnlyMutualTlsUnlessTheInsecureSettingIsExplicit() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of()))
                .hasMessageContaining("VIRTFLEET_AGENT_TLS_DIR").hasMessageContaining("INSECURE_PLAIN_HTTP");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/tls")))
                .hasMessageContaining("VIRTFLEET_AGENT_TLS_CLIENT_NAME");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "false")))
                .hasMessageContaining("VIRTFLEET_AGENT_TLS_DIR");
        AgentConfig insecure = AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "true"));
        assertThat(insecure.scheme()).isEqualTo("http");
        assertThat(insecure.tls()).isNull();
    }

    @Test
    void readsTheAllowListsEmptyByDefault() {
        AgentConfig none = AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls", "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator"));
        assertThat(none.allowed()).isEqualTo(HostAllowLists.NONE);
        assertThat(none.allowed().bridgeAllowed("br0")).isFalse();
        assertThat(none.allowed().poolAllowed("virtfleet", "virtfleet")).as("the default pool").isTrue();
        assertThat(none.allowed().poolAllowed("other", "virtfleet")).isFalse();

        AgentConfig config = AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls", "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator",
                "VIRTFLEET_AGENT_KERNEL_BOOT_DIRS", "/srv/kernels, /srv/initrds",
                "VIRTFLEET_AGENT_ALLOWED_BRIDGES", "br0,br-tenant-*",
                "VIRTFLEET_AGENT_ALLOWED_POOLS", "vg-fast"));

        assertThat(config.allowed().kernelBootDirs()).containsExactly(Path.of("/srv/kernels"), Path.of("/srv/initrds"));
        assertThat(config.allowed().bridgeAllowed("br0")).isTrue();
        assertThat(config.allowed().bridgeAllowed("br-tenant-7")).isTrue();
        assertThat(config.allowed().bridgeAllowed("br1")).isFalse();
        assertThat(config.allowed().bridgeAllowed("br0x")).isFalse();
        assertThat(config.allowed().poolAllowed("vg-fast", "virtfleet")).isTrue();
        assertThat(config.allowed().poolAllowed("vg-slow", "virtfleet")).isFalse();
    }

    @Test
    void theProvisionCallIsOffUnlessTurnedOn() {
        Map<String, String> tls = Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls",
                "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator");
        assertThat(AgentConfig.fromEnvironment(tls).provision())
                .isEqualTo(io.virtfleet.agent.provision.ProvisionSettings.DISABLED);

        Map<String, String> on = new java.util.HashMap<>(tls);
        on.put("VIRTFLEET_AGENT_PROVISION_API", "true");
        on.put("VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES", "s3://images/golden/");
        assertThat(AgentConfig.fromEnvironment(on).provision().enabled()).isTrue();
        assertThat(AgentConfig.fromEnvironment(on).provision().imagePrefixes().entries())
                .containsExactly("s3://images/golden/");
        on.put("VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES", "s3://images/golden");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(on)).hasMessageContaining("PROVISION_IMAGE_PREFIXES");
    }

    @Test
    void refusesRelativeKernelBootDirsAndEveryBridge() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls", "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator",
                "VIRTFLEET_AGENT_KERNEL_BOOT_DIRS", "kernels"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls", "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator",
                "VIRTFLEET_AGENT_ALLOWED_BRIDGES", "*"))).hasMessageContaining("'*'");
    }

    @Test
    void readsTheNetworkAllowListsNothingByDefault() {
        Map<String, String> tls = Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls",
                "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator");
        AgentConfig none = AgentConfig.fromEnvironment(tls);
        assertThat(none.allowed().networkAllowed("tenant-a")).isFalse();
        assertThat(none.allowed().forwardModes()).isEmpty();
        assertThat(none.allowed().firewallOptOut()).isFalse();

        Map<String, String> vars = new java.util.HashMap<>(tls);
        vars.putAll(Map.of("VIRTFLEET_AGENT_ALLOWED_NETWORKS", "tenant-*, shared",
                "VIRTFLEET_AGENT_NETWORK_FORWARD_MODES", "isolated,nat", "VIRTFLEET_AGENT_ALLOW_FIREWALL_OPT_OUT", "true"));
        AgentConfig config = AgentConfig.fromEnvironment(vars);
        assertThat(config.allowed().networkAllowed("tenant-a")).isTrue();
        assertThat(config.allowed().networkAllowed("shared")).isTrue();
        assertThat(config.allowed().networkAllowed("shared-2")).isFalse();
        assertThat(config.allowed().forwardModes()).containsExactlyInAnyOrder(
                io.virtfleet.agent.contract.NetworkRequest.ForwardMode.ISOLATED,
                io.virtfleet.agent.contract.NetworkRequest.ForwardMode.NAT);
        assertThat(config.allowed().firewallOptOut()).isTrue();
        vars.put("VIRTFLEET_AGENT_ALLOWED_NETWORKS", "*");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(vars)).hasMessageContaining("'*'");
    }

    @Test
    void neverShowsSecretsInToString() {
        AgentConfig config = AgentConfig.builder("t0ken-value").insecurePlainHttp().cacheDir(Path.of("/c")).stateDir(Path.of("/s"))
                .s3(new S3Settings(java.net.URI.create("http://s3"), "r", "access", "s3-secret-value")).build();

        assertThat(config.toString()).doesNotContain("t0ken-value").doesNotContain("s3-secret-value")
                .contains("access").contains("****");
    }

    @Test
    void requiresAKnownDomainType() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls", "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator",
                "VIRTFLEET_AGENT_DOMAIN_TYPE", "xen"))).hasMessageContaining("auto, kvm or qemu");
    }
}
