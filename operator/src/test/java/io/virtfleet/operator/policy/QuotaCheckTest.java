package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.TenantQuota;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.policy.QuotaCheck.Claim;
import io.virtfleet.operator.policy.QuotaCheck.Footprint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.virtfleet.operator.policy.Policies.effective;
import static io.virtfleet.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

class QuotaCheckTest {
    private static final long GIB = 1L << 30;
    private static final EffectivePolicy FOUR_VCPUS = effective("team-a",
            policy("small", Map.of(), s -> s.setQuota(new TenantQuota(4, new Quantity("8Gi"), null))));

    private static Claim vm(String name, int minute, boolean placed, int vcpus) {
        return new Claim("VirtualMachine", name, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * minute),
                placed, new Footprint(vcpus, GIB, 0));
    }

    @Test
    void withoutQuotaEverythingIsAdmitted() {
        assertThat(QuotaCheck.admit(vm("big", 0, false, 1000), List.of(), effective("team-a"))).isEmpty();
    }

    @Test
    void placedObjectsCountAndANewOneThatWouldExceedIsRefusedWithFigures() {
        var placed = List.of(vm("a", 0, true, 2), vm("b", 1, true, 1));
        assertThat(QuotaCheck.admit(vm("c", 2, false, 1), placed, FOUR_VCPUS)).isEmpty();
        assertThat(QuotaCheck.admit(vm("c", 2, false, 2), placed, FOUR_VCPUS)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("QuotaExceeded");
            assertThat(p.message()).contains("TenantPolicy small quota.vcpus is 4, the total would be 5",
                    "holds 3 vCPUs, 2Gi memory", "needs 2 vCPUs");
        });
    }

    @Test
    void alreadyPlacedObjectsKeepTheirPlaceWhenTheQuotaShrinks() {
        var others = List.of(vm("a", 0, true, 4));
        assertThat(QuotaCheck.admit(vm("b", 1, true, 4), others, FOUR_VCPUS)).as("placed: never refused").isEmpty();
    }

    @Test
    void waitingObjectsAreAdmittedInCreationOrderThenByName() {
        var waiting = List.of(vm("late", 5, false, 2), vm("early", 1, false, 2), vm("also-early", 1, false, 2));
        assertThat(QuotaCheck.admit(vm("early", 1, false, 2), waiting, FOUR_VCPUS)).isEmpty();
        assertThat(QuotaCheck.admit(vm("also-early", 1, false, 2), waiting, FOUR_VCPUS)).as("same time, name first")
                .isEmpty();
        assertThat(QuotaCheck.admit(vm("late", 5, false, 2), waiting, FOUR_VCPUS)).isPresent();
        var small = List.of(vm("huge", 0, false, 100), vm("tiny", 1, false, 1));
        assertThat(QuotaCheck.admit(vm("tiny", 1, false, 1), small, FOUR_VCPUS))
                .as("an earlier object that can never fit does not block later ones").isEmpty();
    }

    @Test
    void everyMatchingPolicysQuotaHolds() {
        EffectivePolicy two = effective("team-a",
                policy("cpu", Map.of(), s -> s.setQuota(new TenantQuota(100, null, null))),
                policy("memory", Map.of(), s -> s.setQuota(new TenantQuota(null, new Quantity("2Gi"), null))));
        assertThat(QuotaCheck.admit(vm("c", 2, false, 1), List.of(vm("a", 0, true, 1), vm("b", 0, true, 1)), two))
                .get().satisfies(p -> assertThat(p.message()).contains("TenantPolicy memory quota.memory is 2Gi",
                        "would be 3Gi"));
    }

    @Test
    void aTemplateVolumeIsCountedOnceThroughItsVmAndAForgedOwnerDoesNotHelp() {
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName("web01");
        vm.getMetadata().setUid("uid-web01");
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(2);
        spec.setMemory(new Quantity("1Gi"));
        RootVolumeReference root = new RootVolumeReference();
        RootVolumeSpec template = volumeSpec("20Gi");
        root.setTemplate(template);
        spec.setRootVolume(root);
        vm.setSpec(spec);
        RootVolume owned = volume("web01-root", "uid-web01");
        RootVolume disguised = volume("stash", "uid-web01");

        assertThat(NamespaceClaims.of(vm).footprint()).isEqualTo(new Footprint(2, GIB, 20 * GIB));
        LiveUpdate live = new LiveUpdate();
        live.setMaxVcpus(4);
        live.setMaxMemory(new Quantity("3Gi"));
        spec.setLiveUpdate(live);
        assertThat(NamespaceClaims.of(vm).footprint()).as("a running VM grows to its maxima without asking the quota")
                .isEqualTo(new Footprint(4, 3 * GIB, 20 * GIB));
        assertThat(NamespaceClaims.of(owned, List.of(vm)).footprint()).isEqualTo(Footprint.NONE);
        assertThat(NamespaceClaims.of(disguised, List.of(vm)).footprint().storageBytes()).isEqualTo(20 * GIB);
    }

    private static RootVolumeSpec volumeSpec(String size) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("https://images.example/x.qcow2", null));
        spec.setSize(new Quantity(size));
        return spec;
    }

    private static RootVolume volume(String name, String controllerUid) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(name);
        volume.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withUid(controllerUid)
                .withController(true).withKind("VirtualMachine").withName("web01").build()));
        volume.setSpec(volumeSpec("20Gi"));
        return volume;
    }
}
