package io.virtfleet.operator.console;

import io.virtfleet.agent.contract.tls.TlsFiles;
import java.time.Duration;

/**
 * How the console gateway listens.
 *
 * @param port        its HTTPS port (0: any free one)
 * @param tls         its serving certificate and key; with {@code frontProxy}, {@link TlsFiles#ca()} is the
 *                    requestheader CA and {@link TlsFiles#peerName()} the proxy name it must present
 * @param frontProxy  accept the kube-apiserver's front-proxy client certificates and believe their X-Remote-* headers
 * @param idleTimeout a session with no bytes either way for this long is closed
 * @param maxSession  a session is closed after this long in any case
 */
public record GatewaySettings(int port, TlsFiles tls, boolean frontProxy, Duration idleTimeout, Duration maxSession) {
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_MAX = Duration.ofHours(8);
}
