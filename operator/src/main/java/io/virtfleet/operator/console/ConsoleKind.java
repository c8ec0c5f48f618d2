package io.virtfleet.operator.console;

import io.virtfleet.agent.contract.AgentPaths;

/** The two consoles: the serial console and the VNC display, each a subresource and an agent route. */
public enum ConsoleKind {
    CONSOLE("console"),
    VNC("vnc");

    private final String subresource;

    ConsoleKind(String subresource) {
        this.subresource = subresource;
    }

    public String subresource() {
        return subresource;
    }

    String agentPath(String domain) {
        return this == VNC ? AgentPaths.domainVnc(domain) : AgentPaths.domainConsole(domain);
    }

    static ConsoleKind of(String subresource) {
        for (ConsoleKind kind : values()) {
            if (kind.subresource.equals(subresource)) {
                return kind;
            }
        }
        throw GatewayException.notFound("no subresource " + subresource + " (console, vnc)");
    }
}
