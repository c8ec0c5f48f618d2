package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A VM uses and deletes {@code <vm>-root} only while it controls it. */
@EnableKubernetesMockClient(crud = true)
class OwnedRootVolumesTest {
    KubernetesClient client;

    private static RootVolumeSpec spec() {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("https://images.example/x.qcow2", null));
        spec.setSize(new Quantity("1Gi"));
        return spec;
    }

    private static VirtualMachine vm(String uid) {
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName("web01");
        vm.getMetadata().setNamespace("team-a");
        vm.getMetadata().setUid(uid);
        VirtualMachineSpec spec = new VirtualMachineSpec();
        RootVolumeReference root = new RootVolumeReference();
        root.setTemplate(spec());
        spec.setRootVolume(root);
        vm.setSpec(spec);
        return vm;
    }

    private RootVolume createRoot(String controllerUid, boolean controller) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName("web01-root");
        volume.getMetadata().setNamespace("team-a");
        if (controllerUid != null) {
            volume.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("virtfleet.io/v1alpha1")
                    .withKind("VirtualMachine").withName("web01").withUid(controllerUid).withController(controller)
                    .build()));
        }
        volume.setSpec(spec());
        return client.resource(volume).create();
    }

    private RootVolume current() {
        return client.resources(RootVolume.class).inNamespace("team-a").withName("web01-root").get();
    }

    @Test
    void aForeignVolumeIsRefusedAndSurvivesCleanup() {
        RootVolume foreign = createRoot(null, false);
        OwnedRootVolumes owned = new OwnedRootVolumes(client);
        VirtualMachine vm = vm("uid-vm");

        assertThat(OwnedRootVolumes.foreign(vm, Optional.of(foreign))).get()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("RootVolumeNameTaken"));
        assertThat(owned.ensure(vm, Optional.empty(), "hv1").refused()).as("informer had not seen it: 409")
                .get().satisfies(p -> assertThat(p.reason()).isEqualTo("RootVolumeNameTaken"));
        owned.deleteIfControlled(vm, Optional.of(foreign), Optional.empty());
        owned.deleteIfControlled(vm, Optional.empty(), Optional.empty());
        assertThat(current()).isNotNull();
    }

    @Test
    void anOwnerReferenceThatIsNotTheControllerIsNotEnough() {
        RootVolume shared = createRoot("uid-vm", false);
        VirtualMachine vm = vm("uid-vm");
        assertThat(OwnedRootVolumes.foreign(vm, Optional.of(shared))).isPresent();
        new OwnedRootVolumes(client).deleteIfControlled(vm, Optional.of(shared), Optional.empty());
        assertThat(current()).isNotNull();
    }

    @Test
    void theVolumeTheVmCreatedIsUsedAndDeleted() {
        OwnedRootVolumes owned = new OwnedRootVolumes(client);
        VirtualMachine vm = vm("uid-vm");
        RootVolume created = owned.ensure(vm, Optional.empty(), "hv1").volume().orElseThrow();
        assertThat(created.getSpec().getNodeName()).isEqualTo("hv1");
        assertThat(OwnedRootVolumes.foreign(vm, Optional.of(created))).isEmpty();
        assertThat(OwnedRootVolumes.foreign(vm("uid-other"), Optional.of(created))).isPresent();
        owned.deleteIfControlled(vm, Optional.empty(), Optional.empty());
        assertThat(current()).isNull();
    }

    @Test
    void theTemplatesProvisioningIsCopiedAtCreationAndAtAReprovision() {
        OwnedRootVolumes owned = new OwnedRootVolumes(client);
        VirtualMachine vm = vm("uid-vm");
        vm.getSpec().getRootVolume().getTemplate().setProvisioning(Provisioning.Overlay);
        RootVolume created = owned.ensure(vm, Optional.empty(), "hv1").volume().orElseThrow();
        assertThat(created.getSpec().getProvisioning()).isEqualTo(Provisioning.Overlay);

        owned.reprovision(created, "2", Provisioning.Copy);
        assertThat(current().getSpec().getReprovisionToken()).isEqualTo("2");
        assertThat(current().getSpec().getProvisioning()).isEqualTo(Provisioning.Copy);
    }
}
