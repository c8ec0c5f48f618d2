package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Namespace users get VirtualMachines and RootVolumes through the built-in view/edit/admin roles, never policy writes. */
class ChartAggregatedRolesTest {
    private static final RenderedManifests RENDERED = ChartRender.defaults();

    private static List<String> flatten(List<PolicyRule> rules) {
        return rules.stream().map(r -> String.join(",", r.getApiGroups()) + "|" + String.join(",", r.getResources())
                + "|" + String.join(",", r.getVerbs())).toList();
    }

    @Test
    void viewReadsBothKindsAndTheirStatus() {
        ClusterRole view = RENDERED.one(ClusterRole.class, "vf-virtfleet-view");
        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(flatten(view.getRules())).containsExactly(
                "virtfleet.io|virtualmachines,virtualmachines/status,rootvolumes,rootvolumes/status,"
                        + "virtualmachinesnapshots,virtualmachinesnapshots/status,virtualmachinerestores,"
                        + "virtualmachinerestores/status|get,list,watch",
                "virtfleet.io|virtualnetworks,virtualnetworks/status|get,list,watch",
                "virtfleet.io|virtualmachineimages,virtualmachineimages/status|get,list,watch");
    }

    @Test
    void editAndAdminWriteBothKindsButNeverStatusOrPolicies() {
        ClusterRole edit = RENDERED.one(ClusterRole.class, "vf-virtfleet-edit");
        assertThat(edit.getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
        assertThat(flatten(edit.getRules())).containsExactly(
                "virtfleet.io|virtualmachines,rootvolumes,virtualmachinesnapshots,virtualmachinerestores|get,list,watch,"
                        + "create,update,patch,delete,deletecollection",
                "subresources.virtfleet.io|virtualmachines/console,virtualmachines/vnc|get");
        ClusterRole admin = RENDERED.one(ClusterRole.class, "vf-virtfleet-admin");
        assertThat(admin.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
        assertThat(flatten(admin.getRules())).containsExactly("virtfleet.io|tenantpolicies|get,list,watch");
    }

    @Test
    void noAggregatedRoleWritesTenantPoliciesOrStatus() {
        assertThat(RENDERED.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getLabels().keySet().stream().anyMatch(k -> k.contains("aggregate-to-")))
                .flatMap(r -> r.getRules().stream()))
                .hasSizeGreaterThanOrEqualTo(3)
                .noneMatch(rule -> rule.getResources().stream().anyMatch(res -> res.equals("tenantpolicies")
                                || res.startsWith("virtualnetworks")
                                || res.startsWith("virtualmachineimages") || res.endsWith("/status"))
                        && rule.getVerbs().stream().anyMatch(v -> !List.of("get", "list", "watch").contains(v)));
    }
}
