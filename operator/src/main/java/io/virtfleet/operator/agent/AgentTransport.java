package io.virtfleet.operator.agent;

import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.agent.contract.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * How the operator reaches agents: mutual TLS (its client certificate, the CA that signs agents and the name every
 * agent's certificate carries; files reloaded on change, {@link ReloadingTls}), or — only when asked for explicitly,
 * for development — plain HTTP. The operator never calls an agent over plain HTTP otherwise.
 *
 * @param ssl  the mutual-TLS context; null for plain HTTP
 * @param tls  the files it was made from; null for plain HTTP
 */
public record AgentTransport(SSLContext ssl, TlsFiles tls) {
    /** The name agents' certificates carry unless {@code VIRTFLEET_AGENT_TLS_SERVER_NAME} says otherwise. */
    public static final String DEFAULT_AGENT_NAME = "virtfleet-agent";

    public static AgentTransport mutualTls(TlsFiles files) {
        try {
            return new AgentTransport(ReloadingTls.context(files), files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the operator's TLS files " + files, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS files " + files + ": " + e.getMessage(), e);
        }
    }

    /** Development only: agents over plain HTTP, everything on the wire readable. */
    public static AgentTransport insecurePlainHttp() {
        return new AgentTransport(null, null);
    }

    /**
     * {@code VIRTFLEET_AGENT_TLS_DIR} (the operator's client certificate {@code tls.crt}/{@code tls.key} and the
     * agents' CA {@code ca.crt}) with {@code VIRTFLEET_AGENT_TLS_SERVER_NAME} (default {@value #DEFAULT_AGENT_NAME}),
     * or {@code VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP=true}; neither is a configuration error.
     */
    public static AgentTransport fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = name -> Optional.ofNullable(env.apply(name)).map(String::strip)
                .filter(value -> !value.isEmpty());
        boolean insecure = get.apply("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP").map(Boolean::parseBoolean).orElse(false);
        Optional<String> dir = get.apply("VIRTFLEET_AGENT_TLS_DIR");
        if (insecure && dir.isPresent()) {
            throw new IllegalArgumentException(
                    "VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP and VIRTFLEET_AGENT_TLS_DIR exclude each other");
        }
        if (insecure) {
            return insecurePlainHttp();
        }
        return mutualTls(TlsFiles.inDirectory(Path.of(dir.orElseThrow(() -> new IllegalArgumentException(
                "agents are called over mutual TLS only: set VIRTFLEET_AGENT_TLS_DIR (tls.crt, tls.key, ca.crt), or,"
                        + " for development only, VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP=true"))),
                get.apply("VIRTFLEET_AGENT_TLS_SERVER_NAME").orElse(DEFAULT_AGENT_NAME)));
    }

    public boolean insecure() {
        return ssl == null;
    }

    /** {@code https}, or {@code http} for the insecure development transport. */
    public String scheme() {
        return insecure() ? "http" : "https";
    }

    /** Refuses an agent URL this transport must not call: plain HTTP unless insecure, https without a certificate. */
    public void check(String nodeName, URI uri) {
        if (!scheme().equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("agent " + nodeName + " at " + uri + ": " + (insecure()
                    ? "the operator has no client certificate (VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP is on)"
                    : "refusing plain HTTP; agents are called over mutual TLS (VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP=true"
                    + " allows it for development)"));
        }
    }

    @Override
    public String toString() {
        return insecure() ? "AgentTransport[INSECURE-PLAIN-HTTP]" : "AgentTransport[mutual TLS " + tls + "]";
    }
}
