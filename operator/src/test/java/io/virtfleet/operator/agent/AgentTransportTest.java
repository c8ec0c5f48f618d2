package io.virtfleet.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTransportTest {
    @TempDir
    Path dir;

    @Test
    void withoutTlsFilesOrTheExplicitInsecureSettingTheOperatorDoesNotStart() {
        assertThatThrownBy(() -> AgentTransport.fromEnvironment(Map.<String, String>of()::get))
                .hasMessageContaining("VIRTFLEET_AGENT_TLS_DIR").hasMessageContaining("INSECURE_PLAIN_HTTP");
        assertThatThrownBy(() -> AgentTransport.fromEnvironment(
                Map.of("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "false")::get))
                .hasMessageContaining("VIRTFLEET_AGENT_TLS_DIR");
        assertThatThrownBy(() -> AgentTransport.fromEnvironment(Map.of("VIRTFLEET_AGENT_TLS_DIR",
                dir.toString())::get)).as("no files there").hasMessageContaining("TLS files");
    }

    @Test
    void plainHttpAgentsAreRefusedUnlessInsecureIsExplicit() {
        AgentTransport insecure = AgentTransport.fromEnvironment(Map.of("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "true")::get);
        AgentClients clients = new AgentClients(new SimpleMeterRegistry(), insecure);

        assertThat(insecure.scheme()).isEqualTo("http");
        assertThat(clients.client(new AgentEndpoint("hv1", URI.create("http://10.0.0.1:9440"), null)).nodeName())
                .isEqualTo("hv1");
        assertThatThrownBy(() -> clients.client(new AgentEndpoint("hv2", URI.create("https://10.0.0.2:9440"), null)))
                .hasMessageContaining("no client certificate");
    }

    @Test
    void aTlsTransportRefusesPlainHttpAgentUrls() {
        AgentTransport tls = fakeTls();

        assertThat(tls.scheme()).isEqualTo("https");
        assertThatThrownBy(() -> tls.check("hv-external", URI.create("http://10.0.0.9:9440")))
                .hasMessageContaining("refusing plain HTTP");
        tls.check("hv-external", URI.create("https://10.0.0.9:9440"));
    }

    private static AgentTransport fakeTls() {
        try {
            return new AgentTransport(javax.net.ssl.SSLContext.getDefault(), null);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
