package io.virtfleet.operator.console;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.virtfleet.agent.contract.tls.ReloadingTls;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consoles' gateway in the operator process, an extension API server for the aggregated group
 * {@value ConsoleAccess#GROUP}: WebSocket subresources {@code .../namespaces/{ns}/virtualmachines/{name}/console} and
 * {@code /vnc}, and their discovery document. Before the upgrade: who asks ({@link Authenticator}), whether they may
 * ({@link AccessReview}), then where the VM runs; refusals are HTTP 401, 403, 404 or 409 with a message. After it,
 * bytes are relayed both ways to the agent on the VM's node with the operator's own agent credentials, which users
 * never see. Sessions end when idle or too long ({@link GatewaySettings}); one per console, newest wins
 * ({@link ConsoleSessions}). HTTPS only.
 */
public final class ConsoleGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGateway.class);
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static final String TARGET = "virtfleet.console.target";
    private static final String AGENT = "virtfleet.console.agent";
    private static final String LIMIT = "virtfleet.console.limit";

    private final Javalin app;
    private final ScheduledExecutorService timers;

    private ConsoleGateway(Javalin app, ScheduledExecutorService timers) {
        this.app = app;
        this.timers = timers;
    }

    /** What an authorized request asked for. */
    private record Target(String namespace, String name, ConsoleKind kind, String user, AgentClient agent) {
        String key() {
            return namespace + "/" + name + "/" + kind.subresource();
        }
    }

    public static ConsoleGateway start(GatewaySettings settings, KubernetesClient client, AgentDirectory agents) {
        Authenticator authenticator = new Authenticator(client, settings.frontProxy());
        AccessReview access = new AccessReview(client);
        ConsoleSessions sessions = new ConsoleSessions();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("console-limits").daemon().factory());
        SSLContext ssl = sslContext(settings);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.addConnector((server, http) -> {
                SslContextFactory.Server tls = new SslContextFactory.Server();
                tls.setSslContext(ssl);
                tls.setWantClientAuth(settings.frontProxy()); // bearer-token clients present no certificate
                tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                HttpConfiguration secure = new HttpConfiguration(http);
                SecureRequestCustomizer customizer = new SecureRequestCustomizer();
                customizer.setSniHostCheck(false); // reached by Service name or IP; the API server checks our name
                secure.addCustomizer(customizer);
                ServerConnector connector = new ServerConnector(server,
                        new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(secure));
                connector.setPort(settings.port());
                return connector;
            });
        });
        app.get(ConsoleAccess.GROUP_VERSION_PATH, ctx -> ctx.contentType("application/json").result(Discovery.RESOURCES));
        app.get("/apis/" + ConsoleAccess.GROUP, ctx -> ctx.contentType("application/json").result(Discovery.GROUP));
        String path = ConsoleAccess.GROUP_VERSION_PATH + "/namespaces/{namespace}/" + ConsoleAccess.RESOURCE
                + "/{name}/{subresource}";
        app.wsBeforeUpgrade(path, ctx -> ctx.attribute(TARGET, authorize(ctx, authenticator, access, client, agents)));
        app.ws(path, ws -> relay(ws, settings, sessions, timers));
        app.exception(GatewayException.class, (e, ctx) -> ctx.status(e.status()).contentType("application/json")
                .result(Discovery.status(e.status(), e.getMessage())));
        app.start();
        LOG.info("console gateway listening port={} frontProxy={}", app.port(), settings.frontProxy());
        return new ConsoleGateway(app, timers);
    }

    private static Target authorize(Context ctx, Authenticator authenticator, AccessReview access,
                                    KubernetesClient client, AgentDirectory agents) {
        Identity identity = authenticator.authenticate(ctx);
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        ConsoleKind kind = ConsoleKind.of(ctx.pathParam("subresource"));
        if (!NAME.matcher(namespace).matches() || !NAME.matcher(name).matches() || namespace.contains(".")) {
            throw GatewayException.notFound("not a VirtualMachine name: " + namespace + "/" + name);
        }
        access.require(identity, namespace, name, kind);
        VirtualMachine vm = client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
        if (vm == null) {
            throw GatewayException.notFound("VirtualMachine " + namespace + "/" + name + " not found");
        }
        String node = vm.getStatus() == null ? null : vm.getStatus().getNodeName();
        if (node == null) {
            throw GatewayException.conflict("VirtualMachine " + namespace + "/" + name + " has no node yet");
        }
        AgentClient agent = agents.forNode(node).orElseThrow(() -> GatewayException.conflict(
                "the agent of node " + node + " is not known"));
        LOG.info("console authorized user={} vm={}/{} subresource={} node={}", identity.user(), namespace, name,
                kind.subresource(), node);
        return new Target(namespace, name, kind, identity.user(), agent);
    }

    private static void relay(WsConfig ws, GatewaySettings settings, ConsoleSessions sessions,
                              ScheduledExecutorService timers) {
        ws.onConnect(ctx -> {
            Target target = ctx.attribute(TARGET);
            ctx.session.setIdleTimeout(settings.idleTimeout());
            sessions.takeOver(target.key(), ctx);
            WebSocket agent;
            try {
                agent = target.agent().openWebSocket(target.kind().agentPath(AgentNames.of(target.namespace(),
                        target.name())), new AgentRelay(ctx)).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                String why = e.getCause() instanceof java.net.http.WebSocketHandshakeException refused
                        ? "the node refused (" + refused.getResponse().statusCode() + ")" : String.valueOf(e.getCause());
                ctx.closeSession(StatusCode.SERVER_ERROR, "cannot open the " + target.kind().subresource() + ": " + why);
                return;
            }
            ctx.attribute(AGENT, agent);
            ctx.attribute(LIMIT, timers.schedule(() -> {
                if (ctx.session.isOpen()) {
                    ctx.closeSession(StatusCode.NORMAL, "session time limit reached");
                }
            }, settings.maxSession().toMillis(), TimeUnit.MILLISECONDS));
            LOG.info("console opened user={} console={} session={}", target.user(), target.key(), ctx.sessionId());
        });
        ws.onBinaryMessage(ctx -> toAgent(ctx, ByteBuffer.wrap(ctx.data(), ctx.offset(), ctx.length())));
        ws.onMessage(ctx -> toAgent(ctx, ByteBuffer.wrap(ctx.message().getBytes(StandardCharsets.UTF_8))));
        ws.onClose(ctx -> closed(ctx, sessions));
        ws.onError(ctx -> closed(ctx, sessions));
    }

    private static void toAgent(WsContext ctx, ByteBuffer data) {
        WebSocket agent = ctx.attribute(AGENT);
        if (agent != null) {
            agent.sendBinary(data, true).join();
        }
    }

    private static void closed(WsContext ctx, ConsoleSessions sessions) {
        Target target = ctx.attribute(TARGET);
        WebSocket agent = ctx.attribute(AGENT);
        java.util.concurrent.ScheduledFuture<?> limit = ctx.attribute(LIMIT);
        if (limit != null) {
            limit.cancel(false);
        }
        if (agent != null && !agent.isOutputClosed()) {
            agent.sendClose(WebSocket.NORMAL_CLOSURE, "user closed").exceptionally(e -> null);
        }
        if (target != null) {
            sessions.release(target.key(), ctx);
            LOG.info("console closed user={} console={} session={}", target.user(), target.key(), ctx.sessionId());
        }
    }

    private static SSLContext sslContext(GatewaySettings settings) {
        try {
            return ReloadingTls.context(settings.tls());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console gateway's TLS files " + settings.tls(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS files " + settings.tls() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        timers.shutdownNow();
    }
}
