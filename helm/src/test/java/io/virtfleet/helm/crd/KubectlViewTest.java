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
                "AGE=.metadata.creationTimestamp");
    }

    @Test
    void rootVolumesShowNodePhaseDeviceAndAgeUnderTheirOwnShortName() {
        CustomResourceDefinition crd = CrdFiles.definition("RootVolume");

        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vfrv");
        assertThat(columns(crd)).containsExactlyInAnyOrder(
                "NODE=.status.nodeName", "PHASE=.status.phase", "DEVICE=.status.devicePath",
                "AGE=.metadata.creationTimestamp");
    }

    @Test
    void columnsAreTypedAndShownByDefault() {
        for (String kind : CrdFiles.PLURALS.keySet()) {
            List<CustomResourceColumnDefinition> columns = CrdFiles.definition(kind).getSpec().getVersions().getFirst()
                    .getAdditionalPrinterColumns();
            assertThat(columns).as(kind).allSatisfy(c -> {
                assertThat(c.getType()).isIn("string", "date", "integer", "number", "boolean");
                assertThat(c.getPriority()).isZero();
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
    void workloadKindsAreNamespacedWithAStatusSubresource() {
        for (String kind : List.of("VirtualMachine", "RootVolume")) {
            CustomResourceDefinition crd = CrdFiles.definition(kind);
            assertThat(crd.getSpec().getScope()).as(kind).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getVersions().getFirst().getSubresources().getStatus()).as(kind).isNotNull();
        }
    }
}
