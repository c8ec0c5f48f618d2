package io.virtfleet.operator.console.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.virtfleet.agent.contract.tls.PemFiles;
import io.virtfleet.operator.console.ConsoleAccess;
import io.virtfleet.operator.console.ConsoleKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where a console client connects and with what: the Kubernetes API server from a kubeconfig with its credentials (the
 * aggregated subresource path; the API server authenticates, then proxies to the gateway), or the console gateway
 * itself with a bearer token (the local stack, which has no aggregation layer).
 *
 * @param base  {@code https://host:port} of the API server or the gateway
 * @param ssl   the TLS context: trusted CAs and, from a kubeconfig, a client certificate
 * @param token a bearer token; null when the client certificate authenticates
 */
public record ConsoleEndpoint(URI base, SSLContext ssl, String token) {
    /** The current context of the kubeconfig ({@code KUBECONFIG}, {@code ~/.kube/config}), as kubectl reads it. */
    public static ConsoleEndpoint fromKubeconfig(Config config) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config), null);
        String token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        return new ConsoleEndpoint(URI.create(config.getMasterUrl().replaceAll("/$", "")), ssl, token);
    }

    /** The gateway directly: its URL, the CA that signed its certificate, a token a TokenReview accepts. */
    public static ConsoleEndpoint gateway(URI base, Path ca, String token) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate certificate : PemFiles.certificates(ca)) {
            anchors.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        return new ConsoleEndpoint(base, ssl, token);
    }

    /** Opens the WebSocket of one VM's console; a refusal completes exceptionally with the HTTP status. */
    public CompletableFuture<WebSocket> open(String namespace, String name, ConsoleKind kind, WebSocket.Listener listener) {
        URI uri = URI.create(("https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws") + "://" + base.getRawAuthority()
                + ConsoleAccess.path(namespace, name, kind));
        WebSocket.Builder builder = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(15));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, listener);
    }
}
