package io.virtfleet.operator.agent;

import java.net.URI;

/**
 * How to reach the host agent of one node.
 *
 * @param token bearer token the agent expects; never logged
 */
public record AgentEndpoint(String nodeName, URI baseUri, String token) {
    @Override
    public String toString() {
        return "AgentEndpoint[nodeName=" + nodeName + ", baseUri=" + baseUri + "]";
    }
}
