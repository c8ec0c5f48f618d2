package io.virtfleet.stack;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineReference;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestore;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestoreSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshotSpec;
import java.nio.file.Path;

/** What the snapshot, restore and clone reconciler tests share: VMs to capture, the objects, the volume files. */
abstract class SnapshotApiTests extends ReconcilerApiTests {
    VirtualMachine runningVm(String name) {
        VirtualMachine vm = client.resource(SampleObjects.vm(ReconcilerStack.NAMESPACE, name,
                SampleObjects.volumeSpec("64Mi"), null)).create();
        return awaitStatus(vm, v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);
    }

    void halt(VirtualMachine vm) {
        VirtualMachine edited = client.resources(VirtualMachine.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName(vm.getMetadata().getName()).edit(v -> {
                    v.getSpec().setRunStrategy(RunStrategy.Halted);
                    return v;
                });
        awaitStatus(edited, v -> v.getStatus().getPhase() == VirtualMachinePhase.Stopped);
    }

    Path volumeFile(String rootVolume) {
        return Path.of(client.resources(RootVolume.class).inNamespace(ReconcilerStack.NAMESPACE).withName(rootVolume)
                .get().getStatus().getDevicePath());
    }

    static VirtualMachineSnapshot snapshot(String name, String vm) {
        VirtualMachineSnapshot snapshot = new VirtualMachineSnapshot();
        snapshot.getMetadata().setName(name);
        snapshot.getMetadata().setNamespace(ReconcilerStack.NAMESPACE);
        snapshot.setSpec(new VirtualMachineSnapshotSpec(new VirtualMachineReference(vm)));
        return snapshot;
    }

    static VirtualMachineRestore restore(String name, String vm, String snapshot) {
        VirtualMachineRestoreSpec spec = new VirtualMachineRestoreSpec();
        spec.setTarget(new VirtualMachineReference(vm));
        spec.setVirtualMachineSnapshotName(snapshot);
        VirtualMachineRestore restore = new VirtualMachineRestore();
        restore.getMetadata().setName(name);
        restore.getMetadata().setNamespace(ReconcilerStack.NAMESPACE);
        restore.setSpec(spec);
        return restore;
    }
}
