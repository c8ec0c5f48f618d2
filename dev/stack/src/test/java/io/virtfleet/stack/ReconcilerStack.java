package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the reconciler tests ({@code *ApiTest}) run against: the real reconcilers on Fabric8's mock Kubernetes API
 * (CRUD mode), one real host agent in this JVM whose domains live on libvirt's test driver (nothing boots, so a VM
 * is Running within a second) and whose volumes are populated for real in a libvirt dir pool from the in-process S3
 * server. One stack serves the whole tier ({@link SharedReconcilerStack}); tests name their objects apart.
 */
final class ReconcilerStack implements AutoCloseable {
    static final String NAMESPACE = LocalStack.NAMESPACE;
    /** One simulated GPU of the simulated node, allowed to its agent (this machine has no IOMMU: nothing is assigned). */
    static final SimulatedHypervisor.PciDevice GPU = new SimulatedHypervisor.PciDevice("gpu.example.com/t4", "10de",
            "1eb8", 3, 14);
    /** A simulated NIC whose model the platform does not allow: never offered, refused by the agent. */
    static final SimulatedHypervisor.PciDevice UNALLOWED_NIC = new SimulatedHypervisor.PciDevice(null, "1af4", "1000",
            5, 16);
    /** What the simulated node reports: room for the tests' VMs, a known ceiling to exceed, one GPU and one NIC. */
    static final SimulatedHypervisor HYPERVISOR = new SimulatedHypervisor(4, 8L << 30, List.of(GPU, UNALLOWED_NIC));

    private final LocalStack stack;
    private final AgentClient agent;

    private ReconcilerStack(LocalStack stack) {
        this.stack = stack;
        LocalNode node = stack.agent();
        this.agent = new AgentClients(stack.metrics(), stack.agentTransport())
                .client(new AgentEndpoint(node.nodeName(), node.baseUri(), node.config().token()));
    }

    static ReconcilerStack start(Path work) {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        String pool = "vf-api-" + UUID.randomUUID().toString().substring(0, 8);
        OperatorSettings settings = OperatorSettings.defaults().withHealth(Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        return new ReconcilerStack(LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI,
                "qemu", pool, Map.of(LocalStack.NODE_NAME, Map.of()), settings).withSimulatedDomains(HYPERVISOR)));
    }

    KubernetesClient client() {
        return stack.kubernetes().client();
    }

    LocalStack stack() {
        return stack;
    }

    /** The node's agent as the operator calls it, to see what the reconcilers left on the host. */
    AgentClient agent() {
        return agent;
    }

    /** The Events recorded about one object, oldest first. */
    List<Event> events(HasMetadata object) {
        return client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> object.getKind().equals(e.getInvolvedObject().getKind())
                        && object.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                .toList();
    }

    @Override
    public void close() throws LibvirtException, IOException {
        stack.close();
        LibvirtPools.remove(stack.options().poolName());
        try (var files = Files.walk(stack.options().workDir())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
