package io.virtfleet.helm.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What `kubectl get` shows: short names that do not collide with KubeVirt, and the columns people look for. */
class KubectlViewTest {

    private static List<String> columns(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns().stream()
                .map(c -> c.getName() + "=" + c.getJsonPath())
                .toList();
    }

    @Test
    void virtualMachinesShowNodePhaseIpAndAgeUnderTheirOwnShortName() {
        CustomResourceDefinition crd = CrdFiles.definition("VirtualMachine");

        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vfvm").doesNotContain("vm", "vms");
        assertThat(columns(crd)).containsExactlyInAnyOrder(
                "NODE=.status.nodeName", "PHASE=.status.phase", "IP=.status.ipAddresses[0]",
                "READY=.status.conditions[?(@.type==\"Ready\")].status", "AGE=.metadata.creationTimestamp",
                "VCPUS=.spec.vcpus", "MEMORY=.spec.memory", "IMAGE=.spec.rootVolume.template.image.url",
                "ROOTVOLUME=.spec.rootVolume.name");
    }

    @Test
    void rootVolumesShowNodePhaseDeviceAndAgeUnderTheirOwnShortName() {
        CustomResourceDefinition crd = CrdFiles.definition("RootVolume");

        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vfrv");
        assertThat(columns(crd)).containsExactlyInAnyOrder(
                "NODE=.status.nodeName", "PHASE=.status.phase", "DEVICE=.status.devicePath",
                "READY=.status.conditions[?(@.type==\"Ready\")].status", "AGE=.metadata.creationTimestamp",
                "SIZE=.spec.size", "IMAGE=.spec.image.url", "BYTES-DONE=.status.bytesDone",
                "BYTES-TOTAL=.status.bytesTotal");
    }

    @Test
    void columnsAreTypedAndOnlySpecDetailsAndProgressAreWideOnly() {
        for (String kind : CrdFiles.PLURALS.keySet()) {
            List<CustomResourceColumnDefinition> columns = CrdFiles.definition(kind).getSpec().getVersions().getFirst()
                    .getAdditionalPrinterColumns();
            assertThat(columns).as(kind).allSatisfy(c -> {
                assertThat(c.getType()).isIn("string", "date", "integer", "number", "boolean");
                // priority 1: shown by kubectl get -o wide only. An image's URL and node count are the catalogue
                // listing itself (kubectl get vfimg answers "which base images, cached where").
                assertThat(c.getPriority()).isEqualTo(List.of("NODE", "PHASE", "IP", "DEVICE", "READY", "READYTOUSE",
                                "COMPLETE", "AGE", "URL", "CACHED")
                        .contains(c.getName()) ? 0 : 1);
            });
        }
    }

    @Test
    void tenantPoliciesAreClusterScopedUnderTheirOwnShortName() {
        CustomResourceDefinition crd = CrdFiles.definition("TenantPolicy");

        assertThat(crd.getSpec().getScope()).as("tenants must not write their own policy").isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vftp");
        assertThat(columns(crd)).containsExactly("AGE=.metadata.creationTimestamp");
    }

    @Test
    void virtualNetworksAreClusterScopedUnderTheirOwnShortName() {
        CustomResourceDefinition crd = CrdFiles.definition("VirtualNetwork");

        assertThat(crd.getSpec().getScope()).as("host infrastructure of the platform team").isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vfnet");
        assertThat(crd.getSpec().getVersions().getFirst().getSubresources().getStatus()).isNotNull();
    }

    @Test
    void virtualMachineImagesAreClusterScopedAndListTheirCache() {
        CustomResourceDefinition crd = CrdFiles.definition("VirtualMachineImage");

        assertThat(crd.getSpec().getScope()).as("the platform team's catalogue").isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vfimg")
                .as("KubeVirt and CDI names").doesNotContain("vmi", "ds", "dv", "img");
        assertThat(columns(crd)).contains("URL=.spec.url", "FORMAT=.spec.format", "CACHED=.status.cachedNodes");
        assertThat(crd.getSpec().getVersions().getFirst().getSubresources().getStatus()).isNotNull();
    }

    @Test
    void workloadKindsAreNamespacedWithAStatusSubresource() {
        for (String kind : List.of("VirtualMachine", "RootVolume")) {
            CustomResourceDefinition crd = CrdFiles.definition(kind);
            assertThat(crd.getSpec().getScope()).as(kind).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getVersions().getFirst().getSubresources().getStatus()).as(kind).isNotNull();
        }
    }
}
