package io.virtfleet.stack;

import io.virtfleet.fixtures.TestBridge;
import java.util.List;

/**
 * The end of a test class that drove a stack on the shared libvirtd: stop the stack, then remove whatever a
 * failed test left there (its namespaces' domains, the pool) and the test bridge, whatever failed before.
 */
final class StackSweep {
    private StackSweep() {
    }

    static void stopAndSweep(LocalStack stack, NodeContents host, List<String> namespaces, String node,
                             TestBridge bridge) throws Exception {
        try {
            if (stack != null) {
                stack.close();
                for (String namespace : namespaces) {
                    host.removeDomains(namespace + ".");
                }
                LibvirtPools.remove(stack.node(node).poolName());
            }
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    /** The same for a stack of several nodes: every node's domains of {@code namespaces} and every node's pool. */
    static void stopAndSweepEveryNode(LocalStack stack, List<String> namespaces) throws Exception {
        if (stack == null) {
            return;
        }
        stack.close();
        for (LocalNode node : stack.nodes()) {
            for (String namespace : namespaces) {
                new NodeContents(node).removeDomains(namespace + ".");
            }
            LibvirtPools.remove(node.poolName());
        }
    }
}
