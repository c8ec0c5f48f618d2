package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.device.AllowedHostDevice;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES}: what the platform lets a host pass through, and what it refuses to read. */
class HostDeviceAllowListTest {
    private static final Map<String, String> TLS = Map.of("VIRTFLEET_AGENT_TLS_DIR", "/etc/virtfleet/tls",
            "VIRTFLEET_AGENT_TLS_CLIENT_NAME", "virtfleet-operator");

    private static AgentConfig withDevices(String value) {
        Map<String, String> vars = new HashMap<>(TLS);
        vars.put("VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES", value);
        return AgentConfig.fromEnvironment(vars);
    }

    @Test
    void unsetAllowsNoDevice() {
        assertThat(AgentConfig.fromEnvironment(TLS).allowed().hostDevices()).isEmpty();
    }

    @Test
    void readsResourceNamesWithTheirVendorAndDeviceIdsInLowerCase() {
        AgentConfig config = withDevices("gpu.example.com/t4=10DE:1EB8, nic.example.com/cx6-vf=15b3:101e");

        assertThat(config.allowed().hostDevices()).containsExactly(
                new AllowedHostDevice("gpu.example.com/t4", "10de", "1eb8"),
                new AllowedHostDevice("nic.example.com/cx6-vf", "15b3", "101e"));
    }

    /** No wildcard and nothing half-formed: a typo must stop the agent, never allow more than meant. */
    @ParameterizedTest
    @ValueSource(strings = {"*", "gpu.example.com/t4=*", "gpu.example.com/t4=10de:*", "gpu.example.com/*=10de:1eb8",
            "gpu.example.com/t4=10de", "gpu.example.com/t4=10de:1eb8:00", "gpu.example.com/t4=10de:1eb", "t4=10de:1eb8",
            "gpu.example.com/t4=10dg:1eb8", "=10de:1eb8", "gpu.example.com/t4==10de:1eb8", "10de:1eb8",
            "GPU.example.com/t4=10de:1eb8", "gpu.example.com/t4/x=10de:1eb8", "gpu.example.com/t4=0x10de:1eb8"})
    void refusesWildcardsAndMalformedEntries(String entry) {
        assertThatThrownBy(() -> withDevices(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host device");
    }

    @Test
    void oneModelCannotCarryTwoResourceNames() {
        assertThatThrownBy(() -> withDevices("gpu.example.com/t4=10de:1eb8,gpu.example.com/other=10de:1eb8"))
                .hasMessageContaining("10de:1eb8 is allowed twice");
    }
}
