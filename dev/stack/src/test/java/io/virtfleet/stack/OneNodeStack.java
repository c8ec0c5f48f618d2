package io.virtfleet.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local stack with one node on the real libvirtd and QEMU, for an end-to-end class: started once, then each test
 * takes a namespace of its own ({@link #fleet}), and {@link #close} stops the stack and sweeps what those namespaces
 * left on the host.
 */
final class OneNodeStack implements AutoCloseable {
    static final String NODE = "hv-1";

    private final LocalStack stack;
    private final NodeContents host;
    private final List<String> namespaces = new ArrayList<>();

    private OneNodeStack(LocalStack stack) {
        this.stack = stack;
        this.host = new NodeContents(stack.node(NODE));
    }

    /** @param poolPrefix names the node's storage pool, e.g. {@code vf-console-} (a random suffix follows) */
    static OneNodeStack start(Path work, String poolPrefix) {
        return start(work, poolPrefix, Map.of());
    }

    /** @param nodeLabels the node's Kubernetes labels (for selectors) */
    static OneNodeStack start(Path work, String poolPrefix, Map<String, String> nodeLabels) {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        return new OneNodeStack(LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                poolPrefix + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, nodeLabels),
                OperatorSettings.defaults())));
    }

    /** A namespace of the test's own (prefix + random suffix), swept on {@link #close}. */
    Fleet fleet(String prefix) {
        Fleet fleet = new Fleet(client(), prefix + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        return fleet;
    }

    LocalStack stack() {
        return stack;
    }

    KubernetesClient client() {
        return stack.kubernetes().client();
    }

    NodeContents host() {
        return host;
    }

    @Override
    public void close() throws Exception {
        StackSweep.stopAndSweep(stack, host, namespaces, NODE, null);
    }
}
