package io.virtfleet.operator.scheduling;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What bound VMs hold on their node, read through informers. */
@EnableKubernetesMockClient(crud = true)
class ClusterCommitmentsTest {
    private static final long GIB = 1L << 30;
    KubernetesClient client;

    /** A running VM reaches its maxima by a live change that is never placed again: its node holds them already. */
    @Test
    void aBoundVmHoldsItsDeclaredMaximaNotItsCurrentValues() {
        bound("web01", 2, "2Gi", null);
        LiveUpdate live = new LiveUpdate();
        live.setMaxVcpus(8);
        live.setMaxMemory(new Quantity("6Gi"));
        bound("db01", 2, "2Gi", live);
        try (ClusterCommitments commitments = new ClusterCommitments(client)) {
            Committed onNode = await().atMost(Duration.ofSeconds(10))
                    .until(() -> commitments.byNode(Set.of()).get("hv-1"), c -> c != null && c.vcpus() == 10);
            assertThat(onNode.memoryBytes()).isEqualTo(2 * GIB + 6 * GIB);
        }
    }

    private void bound(String name, int vcpus, String memory, LiveUpdate live) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(vcpus);
        spec.setMemory(new Quantity(memory));
        spec.setRootVolume(new RootVolumeReference(name + "-root"));
        spec.setLiveUpdate(live);
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName(name);
        vm.getMetadata().setNamespace("team-a");
        vm.setSpec(spec);
        VirtualMachineStatus status = new VirtualMachineStatus();
        status.setNodeName("hv-1");
        vm.setStatus(status);
        client.resource(vm).create();
    }
}
