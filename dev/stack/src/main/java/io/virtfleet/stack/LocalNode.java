package io.virtfleet.stack;

import io.virtfleet.agent.AgentConfig;
import io.virtfleet.agent.HostAgent;

import java.net.URI;

/**
 * One hypervisor of the local stack: a real host agent with its own pool, cache and state directories. It can be
 * stopped and started again on the same port (the operator's agent list keeps its address), as a restarted agent
 * process would be.
 */
public final class LocalNode implements AutoCloseable {
    private final AgentConfig config;
    private HostAgent agent;
    private final URI baseUri;

    LocalNode(AgentConfig config) {
        HostAgent started = HostAgent.start(config);
        // Restarts must come back on the same port: pin the one the first start was given.
        this.config = config.withPort(started.port());
        this.agent = started;
        this.baseUri = URI.create(config.scheme() + "://127.0.0.1:" + started.port());
    }

    public String nodeName() {
        return config.nodeName();
    }

    public String poolName() {
        return config.defaultPool();
    }

    public AgentConfig config() {
        return config;
    }

    public URI baseUri() {
        return baseUri;
    }

    public synchronized boolean running() {
        return agent != null;
    }

    public synchronized void stop() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    public synchronized void start() {
        if (agent == null) {
            agent = HostAgent.start(config);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
