package io.virtfleet.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.fixtures.TestCertificates;
import io.virtfleet.fixtures.WebSocketProbe;
import java.util.Map;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's API listener on a real socket: mutual TLS with the operator's identity accepted, everything else
 * refused before a route runs; renewed certificate files presented on the next connection without a restart.
 */
class AgentMutualTlsTest {
    static final String AGENT = "virtfleet-agent";
    static final String OPERATOR = "virtfleet-operator";

    @TempDir
    Path dir;
    private TestCertificates.Ca ca;
    private Path agentDir;
    private AgentHttpServer server;

    @BeforeEach
    void start() {
        ca = TestCertificates.newCa("virtfleet-test-ca");
        agentDir = ca.issue(AGENT).writeTo(dir.resolve("agent"));
        server = AgentHttpServer.start("127.0.0.1", 0, TlsFiles.inDirectory(agentDir, OPERATOR), null,
                (Javalin app) -> {
                    app.get(AgentPaths.HEALTH, ctx -> ctx.result("ok"));
                    app.ws(AgentPaths.domainConsole("web"), ws -> ws.onConnect(ctx -> ctx.send("console")));
                });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theOperatorsCertificateIsAccepted() throws Exception {
        HttpResponse<String> answer = get(client(ca.issue(OPERATOR), ca, AGENT), "https");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok");
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        assertThatThrownBy(() -> get(anonymous(), "https")).isInstanceOf(IOException.class);
    }

    /** Trusts the agent's CA but presents no certificate. */
    private HttpClient anonymous() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.certificate());
        trust.init(anchors);
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(anonymous).build();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        TestCertificates.Ca other = TestCertificates.newCa("another-ca");

        assertThatThrownBy(() -> get(client(other.issue(OPERATOR), ca, AGENT), "https"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theRightCaWithTheWrongIdentityIsRefused() {
        assertThatThrownBy(() -> get(client(ca.issue("virtfleet-agent-on-another-node"), ca, AGENT), "https"))
                .as("an agent's own certificate is from the same CA but is not the operator")
                .isInstanceOf(IOException.class);
    }

    /** WebSocket routes (consoles) sit behind the same listener: no certificate, no upgrade. */
    @Test
    void aWebSocketNeedsTheOperatorsCertificateToo() throws Exception {
        URI uri = URI.create("wss://127.0.0.1:" + server.port() + AgentPaths.domainConsole("web"));
        try (WebSocketProbe console = WebSocketProbe.connect(client(ca.issue(OPERATOR), ca, AGENT), uri, Map.of())) {
            assertThat(console.await("console", Duration.ofSeconds(10))).isEqualTo("console");
        }

        assertThatThrownBy(() -> WebSocketProbe.connect(anonymous(), uri, Map.of()))
                .isNotInstanceOf(WebSocketProbe.Refused.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> WebSocketProbe.connect(client(ca.issue("someone-else"), ca, AGENT), uri, Map.of()))
                .as("a certificate from the right CA without the operator's name")
                .isNotInstanceOf(WebSocketProbe.Refused.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aPlainHttpClientIsRefused() {
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http")).isInstanceOf(IOException.class);
    }

    @Test
    void theOperatorRefusesAnAgentWithoutTheAgentsName() {
        assertThatThrownBy(() -> get(client(ca.issue(OPERATOR), ca, "virtfleet-agent-elsewhere"), "https"))
                .isInstanceOf(IOException.class).hasStackTraceContaining("expected virtfleet-agent-elsewhere");
    }

    @Test
    void aRenewedCertificateIsPresentedOnTheNextConnectionWithoutARestart() throws Exception {
        SSLContext operator = ReloadingTls.context(TlsFiles.inDirectory(
                ca.issue(OPERATOR).writeTo(dir.resolve("operator")), AGENT));
        X509Certificate before = presented(operator);

        TestCertificates.Issued renewed = ca.issue(AGENT, Duration.ofDays(2));
        renewed.writeTo(agentDir); // files replaced in place, as the kubelet updates a mounted Secret

        X509Certificate after = presented(operator);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber())
                .isEqualTo(renewed.certificate().getSerialNumber());
        assertThat(get(HttpClient.newBuilder().sslContext(operator).build(), "https").statusCode()).isEqualTo(200);
    }

    @Test
    void aRenewedCaIsTrustedForClientsWithoutARestart() throws Exception {
        TestCertificates.Ca next = TestCertificates.newCa("virtfleet-test-ca-2");
        assertThatThrownBy(() -> get(client(next.issue(OPERATOR), ca, AGENT), "https")).isInstanceOf(IOException.class);

        ca.issue(AGENT).writeTo(agentDir, next); // the agent's ca.crt now names the new CA

        assertThat(get(client(next.issue(OPERATOR), ca, AGENT), "https").statusCode()).isEqualTo(200);
    }

    /** The certificate the agent presents on a new connection (no session reuse: a fresh socket). */
    private X509Certificate presented(SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private HttpClient client(TestCertificates.Issued mine, TestCertificates.Ca trusted, String peer) throws Exception {
        Path files = mine.writeTo(dir.resolve("client-" + mine.certificate().getSerialNumber()), trusted);
        return HttpClient.newBuilder().sslContext(ReloadingTls.context(TlsFiles.inDirectory(files, peer))).build();
    }

    private HttpResponse<String> get(HttpClient client, String scheme) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port()
                + AgentPaths.HEALTH)).timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
