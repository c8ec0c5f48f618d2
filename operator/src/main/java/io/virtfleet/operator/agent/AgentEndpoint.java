package io.virtfleet.operator.agent;

import java.net.URI;

/**
 * How to reach the host agent of one node.
 *
 * @param token optional bearer token for agents that ask for one besides the operator's certificate (null: none);
 *              never logged, and only ever sent over mutual TLS unless the transport is the insecure development one
 */
public record AgentEndpoint(String nodeName, URI baseUri, String token) {
    @Override
    public String toString() {
        return "AgentEndpoint[nodeName=" + nodeName + ", baseUri=" + baseUri + "]";
    }
}
