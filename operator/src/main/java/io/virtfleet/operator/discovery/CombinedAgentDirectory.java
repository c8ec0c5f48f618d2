package io.virtfleet.operator.discovery;

import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Agents from several directories as one: the static list of hypervisors outside the cluster
 * ({@code operator.staticAgents}) together with the DaemonSet's pods. For a node both know, the first directory wins
 * (the static list, an explicit statement of where that node's agent answers); node names are in the directories'
 * order, each once.
 */
public final class CombinedAgentDirectory implements AgentDirectory {
    private final List<AgentDirectory> directories;

    /** @param directories in order of precedence */
    public CombinedAgentDirectory(List<AgentDirectory> directories) {
        this.directories = List.copyOf(directories);
    }

    @Override
    public List<String> nodeNames() {
        Set<String> names = new LinkedHashSet<>();
        directories.forEach(directory -> names.addAll(directory.nodeNames()));
        return List.copyOf(names);
    }

    @Override
    public Optional<AgentClient> forNode(String nodeName) {
        for (AgentDirectory directory : directories) {
            Optional<AgentClient> client = directory.forNode(nodeName);
            if (client.isPresent()) {
                return client;
            }
        }
        return Optional.empty();
    }
}
