package io.virtfleet.operator.scheduling;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.virtfleet.crds.v1alpha1.AssignedHostDevice;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.base.HardwareMaxima;
import io.virtfleet.operator.base.Quantities;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Commitments read from the cluster (informer caches, no API calls per placement): each bound RootVolume holds its
 * size in its node's pool and its image; each bound VirtualMachine holds its memory, vCPUs and data disks. The same
 * caches serve the per-namespace totals of tenant quotas. A bound VirtualMachine also holds the host devices its
 * status records. A VM holds its declared maxima ({@code spec.liveUpdate}),
 * which it can reach live without another placement.
 */
public final class ClusterCommitments implements Commitments, AutoCloseable {
    private final SharedIndexInformer<RootVolume> volumes;
    private final SharedIndexInformer<VirtualMachine> machines;

    public ClusterCommitments(KubernetesClient client) {
        this.volumes = client.resources(RootVolume.class).inAnyNamespace().inform();
        this.machines = client.resources(VirtualMachine.class).inAnyNamespace().inform();
    }

    public static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    @Override
    public Map<String, Committed> byNode(Set<String> excluding) {
        Map<String, Committed> byNode = new HashMap<>();
        for (RootVolume volume : volumes.getStore().list()) {
            String node = volume.getStatus() == null ? null : volume.getStatus().getNodeName();
            if (node == null || excluding.contains(key("RootVolume", volume.getMetadata().getNamespace(),
                    volume.getMetadata().getName()))) {
                continue;
            }
            Committed here = byNode.getOrDefault(node, Committed.nothing())
                    .plus(Demand.storage(Quantities.bytes(volume.getSpec().getSize()), null, null, null));
            if (volume.getStatus().getPhase() == RootVolumePhase.Ready && volume.getSpec().getImage() != null) {
                here = here.holding(volume.getStatus().getImageSha256(), volume.getSpec().getImage().getUrl());
            }
            byNode.put(node, here);
        }
        for (VirtualMachine vm : machines.getStore().list()) {
            String node = vm.getStatus() == null ? null : vm.getStatus().getNodeName();
            if (node == null || excluding.contains(key("VirtualMachine", vm.getMetadata().getNamespace(),
                    vm.getMetadata().getName()))) {
                continue;
            }
            long dataDisks = vm.getSpec().getDataDisks() == null ? 0 : vm.getSpec().getDataDisks().stream()
                    .mapToLong(d -> Quantities.bytes(d.getSize())).sum();
            List<String> devices = vm.getStatus().getHostDevices() == null ? List.of() : vm.getStatus().getHostDevices()
                    .stream().map(AssignedHostDevice::getAddress).filter(java.util.Objects::nonNull).toList();
            byNode.put(node, byNode.getOrDefault(node, Committed.nothing()).plus(new Demand(dataDisks, null,
                    HardwareMaxima.memoryBytes(vm.getSpec()), HardwareMaxima.vcpus(vm.getSpec()), null, null))
                    .holdingDevices(devices));
        }
        return byNode;
    }

    @Override
    public void onMachineGone(Runnable listener) {
        machines.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VirtualMachine vm) {
            }

            @Override
            public void onUpdate(VirtualMachine before, VirtualMachine after) {
            }

            @Override
            public void onDelete(VirtualMachine vm, boolean finalStateUnknown) {
                if (vm.getStatus() != null && vm.getStatus().getNodeName() != null) {
                    listener.run();
                }
            }
        });
    }

    /** The namespace's RootVolumes as the informer sees them (quota counts them). */
    public List<RootVolume> volumesIn(String namespace) {
        return volumes.getStore().list().stream().filter(v -> namespace.equals(v.getMetadata().getNamespace()))
                .toList();
    }

    /** The namespace's VirtualMachines as the informer sees them (quota counts them). */
    public List<VirtualMachine> machinesIn(String namespace) {
        return machines.getStore().list().stream().filter(v -> namespace.equals(v.getMetadata().getNamespace()))
                .toList();
    }

    @Override
    public void close() {
        volumes.close();
        machines.close();
    }
}
