package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.fixtures.TestCertificates;
import io.virtfleet.fixtures.WebSocketProbe;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentTransport;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import io.virtfleet.operator.console.ConsoleAccess;
import io.virtfleet.operator.console.ConsoleGateway;
import io.virtfleet.operator.console.ConsoleKind;
import io.virtfleet.operator.console.FrontProxyTrust;
import io.virtfleet.operator.console.GatewaySettings;
import io.virtfleet.operator.console.client.ConsoleEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console gateway's doors on the mock Kubernetes API, before any byte reaches a node: who may open which console.
 * Identity and permission come from {@link StandInReviews} (canned TokenReview and SubjectAccessReview answers, a
 * stand-in for a cluster's authenticators and RBAC); what is proven here is that the gateway asks the right question
 * (the SubjectAccessReview body, asserted exactly) and obeys the answer. Two gateways: bearer tokens only, and with
 * the aggregation layer's front-proxy certificates accepted (a requestheader CA made for the test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleGatewayApiTest {
    private static final String PROXY = "front-proxy-client";

    @TempDir
    static Path work;
    private MockKubernetesApi api;
    private TestCertificates.Ca ca;
    private TestCertificates.Ca requestHeaderCa;
    private ConsoleGateway tokens;
    private ConsoleGateway proxied;
    private HttpClient trusted;

    @BeforeAll
    void start() throws Exception {
        api = MockKubernetesApi.start();
        api.reviews().token("alice-token", "alice", List.of("team-a-devs")).allow("alice", "team-a", "console")
                .token("bob-token", "bob", List.of());
        ca = TestCertificates.newCa("console-test-ca");
        requestHeaderCa = TestCertificates.newCa("requestheader-ca");
        Path serving = ca.issue(LocalStack.CONSOLE_HOST).writeTo(work.resolve("serving"));
        StaticAgentDirectory noAgents = new StaticAgentDirectory(List.of(),
                new AgentClients(new SimpleMeterRegistry(), AgentTransport.insecurePlainHttp()));
        tokens = ConsoleGateway.start(new GatewaySettings(0, TlsFiles.inDirectory(serving, "nobody"), false,
                GatewaySettings.DEFAULT_IDLE, GatewaySettings.DEFAULT_MAX), api.client(), noAgents);
        api.client().configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("extension-apiserver-authentication").endMetadata()
                .addToData("requestheader-client-ca-file", Files.readString(requestHeaderCa.issue("x")
                        .writeTo(work.resolve("rh"), requestHeaderCa).resolve("ca.crt")))
                .addToData("requestheader-allowed-names", "[\"" + PROXY + "\"]").build()).create();
        proxied = ConsoleGateway.start(new GatewaySettings(0, FrontProxyTrust.tlsFiles(api.client(), serving,
                work.resolve("front-proxy")), true, GatewaySettings.DEFAULT_IDLE, GatewaySettings.DEFAULT_MAX),
                api.client(), noAgents);
        VirtualMachine vm = SampleObjects.vm("team-b", "web01", SampleObjects.volumeSpec("64Mi"), null);
        api.client().resource(vm).create();
        VirtualMachine unscheduled = SampleObjects.vm("team-a", "web01", SampleObjects.volumeSpec("64Mi"), null);
        api.client().resource(unscheduled).create();
        VirtualMachine placed = SampleObjects.vm("team-a", "placed", SampleObjects.volumeSpec("64Mi"), null);
        placed.setStatus(new VirtualMachineStatus());
        placed.getStatus().setNodeName("hv-gone");
        api.client().resource(placed).create();
        api.reviews().allow("alice", "team-a", "vnc");
        trusted = trusting();
    }

    @AfterAll
    void stop() {
        proxied.close();
        tokens.close();
        api.close();
    }

    @Test
    void discoveryListsTheTwoSubresources() throws Exception {
        HttpResponse<String> answer = trusted.send(HttpRequest.newBuilder(URI.create(base(tokens)
                + ConsoleAccess.GROUP_VERSION_PATH)).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode list = new ObjectMapper().readTree(answer.body());
        assertThat(list.get("kind").asText()).isEqualTo("APIResourceList");
        assertThat(list.get("groupVersion").asText()).isEqualTo("subresources.virtfleet.io/v1alpha1");
        assertThat(list.findValuesAsText("name")).containsExactly("virtualmachines/console", "virtualmachines/vnc");
    }

    @Test
    void noTokenOrAWrongTokenIs401() {
        assertThat(refusal(tokens, "team-a", "web01", ConsoleKind.CONSOLE, Map.of())).isEqualTo(401);
        assertThat(refusal(tokens, "team-a", "web01", ConsoleKind.CONSOLE, bearer("forged"))).isEqualTo(401);
    }

    @Test
    void proxyHeadersWithoutTheProxysCertificateAreIgnored() throws Exception {
        assertThat(refusal(proxied, "team-a", "web01", ConsoleKind.CONSOLE, Map.of("X-Remote-User", "alice"))).isEqualTo(401);
        // bob's token, alice's header: bob is asked about, and bob may not
        Map<String, String> headers = Map.of("Authorization", "Bearer bob-token", "X-Remote-User", "alice");
        assertThat(refusal(tokens, "team-a", "web01", ConsoleKind.CONSOLE, headers)).isEqualTo(403);
        assertThat(lastAccessReview().at("/spec/user").asText()).isEqualTo("bob");
    }

    /** alice may open consoles in team-a: not in team-b, and the question asked is exactly the documented one. */
    @Test
    void aUserAllowedInOneNamespaceIsRefusedInAnotherWithTheExactReview() throws Exception {
        assertThat(refusal(tokens, "team-b", "web01", ConsoleKind.CONSOLE, bearer("alice-token"))).isEqualTo(403);

        assertThat(lastAccessReview()).isEqualTo(new ObjectMapper().readTree("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
                 "spec":{"groups":["team-a-devs"],"resourceAttributes":{"group":"subresources.virtfleet.io",
                   "name":"web01","namespace":"team-b","resource":"virtualmachines","subresource":"console",
                   "verb":"get","version":"v1alpha1"},"user":"alice"}}"""));
    }

    @Test
    void anAllowedUserLearnsWhatIsMissing() {
        assertThat(refusal(tokens, "team-a", "absent", ConsoleKind.CONSOLE, bearer("alice-token"))).isEqualTo(404);
        assertThat(refusal(tokens, "team-a", "web01", ConsoleKind.VNC, bearer("alice-token")))
                .as("not scheduled yet").isEqualTo(409);
        assertThat(refusal(tokens, "team-a", "placed", ConsoleKind.VNC, bearer("alice-token")))
                .as("no agent for its node").isEqualTo(409);
    }

    @Test
    void theFrontProxysIdentityIsBelievedOnlyWithItsCertificate() throws Exception {
        HttpClient proxy = proxyClient(requestHeaderCa.issue(PROXY));
        Map<String, String> alice = Map.of("X-Remote-User", "alice", "X-Remote-Group", "team-a-devs",
                "X-Remote-Extra-Scopes", "console");
        assertThat(status(proxy, proxied, "team-b", "web01", alice)).isEqualTo(403);
        JsonNode review = lastAccessReview();
        assertThat(review.at("/spec/user").asText()).isEqualTo("alice");
        assertThat(review.at("/spec/groups/0").asText()).isEqualTo("team-a-devs");
        assertThat(review.at("/spec/extra/scopes/0").asText()).isEqualTo("console");
        assertThat(status(proxy, proxied, "team-a", "absent", alice)).as("allowed, then not found").isEqualTo(404);

        HttpClient impostor = proxyClient(requestHeaderCa.issue("someone-else"));
        assertThatThrownBy(() -> status(impostor, proxied, "team-a", "absent", alice))
                .as("the requestheader CA's certificate without the allowed proxy name").isInstanceOf(Exception.class);
        HttpClient otherCa = proxyClient(ca.issue(PROXY));
        assertThatThrownBy(() -> status(otherCa, proxied, "team-a", "absent", alice)).isInstanceOf(Exception.class);
    }

    private int refusal(ConsoleGateway gateway, String namespace, String name, ConsoleKind kind,
                        Map<String, String> headers) {
        try {
            WebSocketProbe.connect(trusted, URI.create(base(gateway).replace("https", "wss")
                    + ConsoleAccess.path(namespace, name, kind)), headers).close();
        } catch (WebSocketProbe.Refused refused) {
            return refused.status();
        }
        throw new AssertionError("the upgrade was not refused");
    }

    /** A WebSocket upgrade as the front proxy sends it, over its client certificate. */
    private int status(HttpClient client, ConsoleGateway gateway, String namespace, String name, Map<String, String> headers) {
        try {
            WebSocketProbe.connect(client, URI.create(base(gateway).replace("https", "wss")
                    + ConsoleAccess.path(namespace, name, ConsoleKind.CONSOLE)), headers).close();
            return 101;
        } catch (WebSocketProbe.Refused refused) {
            return refused.status();
        }
    }

    private HttpClient proxyClient(TestCertificates.Issued certificate) throws Exception {
        Path files = certificate.writeTo(work.resolve("proxy-" + certificate.certificate().getSerialNumber()), ca);
        return HttpClient.newBuilder().sslContext(ReloadingTls.context(TlsFiles.inDirectory(files, LocalStack.CONSOLE_HOST)))
                .build();
    }

    /** Trusts the gateway's CA, presents no certificate. */
    private HttpClient trusting() throws Exception {
        Path caFile = ca.issue("reader").writeTo(work.resolve("trust")).resolve("ca.crt");
        return HttpClient.newBuilder().sslContext(ConsoleEndpoint.gateway(URI.create("https://x"), caFile, null).ssl())
                .build();
    }

    private JsonNode lastAccessReview() throws Exception {
        List<String> bodies = api.reviews().accessReviewBodies();
        return new ObjectMapper().readTree(bodies.get(bodies.size() - 1));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String base(ConsoleGateway gateway) {
        return "https://" + LocalStack.CONSOLE_HOST + ":" + gateway.port();
    }
}
