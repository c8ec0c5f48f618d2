package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.agent.domain.DomainService;
import io.virtfleet.agent.network.NetworkService;
import io.virtfleet.agent.provision.ProvisionService;
import io.virtfleet.agent.storage.VolumeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The agent's HTTP API (Javalin): assembles one routes class per resource ({@link ProbeRoutes}, {@link CacheRoutes},
 * {@link HostRoutes}, {@link VolumeRoutes}, {@link DomainRoutes}, {@link ConsoleRoutes},
 * {@link NetworkRoutes}, and {@link ProvisionRoutes} when enabled), an optional bearer token in front of every route but
 * the probes, and {@link ErrorResponses}.
 *
 * <p>Transport: mutual TLS only ({@link ReloadingTls}: a client certificate is required, must chain to the configured
 * CA and carry the operator's name; renewed files are picked up on the next handshake). Plain HTTP only when
 * {@code tls} is null, which {@code AgentConfig} allows only with its explicit insecure development setting.
 *
 * <p>Status codes: PUT answers 202 Accepted with the current status while work continues in the background (a
 * volume being downloaded or populated, a domain still shutting down) and 200 once the status matches the request
 * (or the volume population Failed; the body says why). GET answers 200, or 404 when the volume or domain does not
 * exist. DELETE answers 204, also when there was nothing to delete. Errors carry an {@link AgentError} body: 400
 * invalid request, 401 missing or wrong token, 404 not found, 409 conflict with the host's state (volume not Ready,
 * in use, being populated, reprovisioning, pool missing) or with the platform's allow-lists and owners (host path,
 * bridge or pool not allowed, owned by another object), 500 libvirt or host failures.
 */
public final class AgentHttpServer implements AutoCloseable {
    private final Javalin app;

    private AgentHttpServer(Javalin app) {
        this.app = app;
    }

    public static AgentHttpServer start(String bindAddress, int port, TlsFiles tls, String token, VolumeService volumes,
                                        DomainService domains, NetworkService networks, ImageCache cache,
                                        PrometheusMeterRegistry metrics, HostRoutes host, Liveness liveness,
                                        Readiness readiness, ProvisionService provisioning) {
        return start(bindAddress, port, tls, token, app -> {
            ProbeRoutes.register(app, liveness, readiness, metrics);
            CacheRoutes.register(app, cache);
            host.register(app);
            VolumeRoutes.register(app, volumes);
            DomainRoutes.register(app, domains);
            ConsoleRoutes.register(app, domains);
            NetworkRoutes.register(app, networks);
            if (provisioning != null) { // off by default: then the route does not exist (404)
                ProvisionRoutes.register(app, provisioning);
            }
        });
    }

    /** The server with the given routes behind the transport and token checks, and {@link ErrorResponses}. */
    static AgentHttpServer start(String bindAddress, int port, TlsFiles tls, String token, Consumer<Javalin> routes) {
        SSLContext ssl = tls == null ? null : sslContext(tls);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(AgentJson.MAPPER, false));
            config.http.maxRequestSize = Requests.MAX_BODY_BYTES;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = ssl == null ? new ServerConnector(server, new HttpConnectionFactory(http))
                        : new ServerConnector(server, new SslConnectionFactory(mutualTls(ssl), HttpVersion.HTTP_1_1.asString()),
                        new HttpConnectionFactory(secure(http)));
                connector.setHost(bindAddress);
                connector.setPort(port);
                return connector;
            });
        });
        if (token != null) {
            BearerAuth auth = new BearerAuth(token);
            app.before(ctx -> {
                if (!ProbeRoutes.open(ctx.path())) {
                    auth.check(ctx.header("Authorization"));
                }
            });
            app.wsBeforeUpgrade(ctx -> auth.check(ctx.header("Authorization"))); // WebSocket upgrades skip before()
        }
        routes.accept(app);
        ErrorResponses.register(app);
        app.start();
        return new AgentHttpServer(app);
    }

    private static SSLContext sslContext(TlsFiles tls) {
        try {
            return ReloadingTls.context(tls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's TLS files " + tls, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS files " + tls + ": " + e.getMessage(), e);
        }
    }

    /** A client certificate is required; who may present one is the trust manager's call (CA and name). */
    private static SslContextFactory.Server mutualTls(SSLContext ssl) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(ssl);
        factory.setNeedClientAuth(true);
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return factory;
    }

    private static HttpConfiguration secure(HttpConfiguration http) {
        HttpConfiguration secure = new HttpConfiguration(http);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false); // agents are reached by pod IP; the certificate names the agent role
        secure.addCustomizer(customizer);
        return secure;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
