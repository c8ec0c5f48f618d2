package io.virtfleet.agent;

import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.agent.provision.ProvisionSettings;
import io.virtfleet.fixtures.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.libvirt.LibvirtException;

/**
 * Agents with the provisioning call turned on, and {@code POST /api/v1/provision} sent to them as automation outside
 * Kubernetes sends it: JSON text and the bearer token over mutual TLS, nothing of the agent's own client code.
 */
final class ProvisionCalls {
    static final String AGENT = "virtfleet-agent";
    static final String OPERATOR = "virtfleet-operator";

    private final Path dir;
    private final TestCertificates.Ca ca;

    /** @param dir where certificates and agents' files go */
    ProvisionCalls(Path dir) {
        this.dir = dir;
        this.ca = TestCertificates.newCa("provision-test-ca");
    }

    TestCertificates.Ca ca() {
        return ca;
    }

    /** An agent in {@code workDir} with these provisioning settings; {@code configure} adjusts the rest. */
    AgentHarness startAgent(Path workDir, ProvisionSettings provision, UnaryOperator<AgentConfig.Builder> configure)
            throws LibvirtException {
        Path agentTls = ca.issue(AGENT).writeTo(workDir.resolve("tls"));
        return AgentHarness.start(workDir, config -> configure.apply(
                config.tls(TlsFiles.inDirectory(agentTls, OPERATOR)).provision(provision)));
    }

    AgentHarness startAgent(Path workDir, ProvisionSettings provision) throws LibvirtException {
        return startAgent(workDir, provision, UnaryOperator.identity());
    }

    /** A client presenting {@code certificate}, trusting the agent's certificate from this CA. */
    HttpClient client(TestCertificates.Issued certificate) throws Exception {
        Path files = certificate.writeTo(dir.resolve("client-" + certificate.certificate().getSerialNumber()), ca);
        return HttpClient.newBuilder().sslContext(ReloadingTls.context(TlsFiles.inDirectory(files, AGENT))).build();
    }

    /** A client with the operator's certificate name: what the call needs. */
    HttpClient operatorClient() throws Exception {
        return client(ca.issue(OPERATOR));
    }

    /** The request as curl sends it; {@code token} null sends none. */
    static HttpResponse<String> post(AgentHarness agent, HttpClient client, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(agent.agent().baseUri().resolve(AgentPaths.PROVISION))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static AgentError error(HttpResponse<String> response) throws IOException {
        return AgentJson.MAPPER.readValue(response.body(), AgentError.class);
    }
}
