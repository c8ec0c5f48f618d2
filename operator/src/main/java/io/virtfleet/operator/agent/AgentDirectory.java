package io.virtfleet.operator.agent;

import java.util.List;
import java.util.Optional;

/** Knows which host agents exist and how to reach the one on a node. */
public interface AgentDirectory {
    /** Names of the nodes that have an agent, in a stable order. */
    List<String> nodeNames();

    Optional<AgentClient> forNode(String nodeName);
}
