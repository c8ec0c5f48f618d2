package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Least privilege: the operator gets exactly what it uses; the agent gets nothing at all. */
class ChartRbacTest {
    private static final RenderedManifests RENDERED = ChartRender.defaults();

    /** One rule rendered as "groups|resources|verbs|names" so whole rule sets compare in one assertion. */
    private static List<String> flatten(List<PolicyRule> rules) {
        return rules.stream()
                .map(r -> String.join(",", r.getApiGroups()) + "|" + String.join(",", r.getResources()) + "|"
                        + String.join(",", r.getVerbs()) + "|" + String.join(",", r.getResourceNames()))
                .toList();
    }

    @Test
    void operatorClusterRoleHoldsExactlyTheRulesItNeeds() {
        ClusterRole role = RENDERED.one(ClusterRole.class, "vf-virtfleet-operator");

        assertThat(flatten(role.getRules())).containsExactlyInAnyOrder(
                "virtfleet.io|rootvolumes,virtualmachines|get,list,watch,create,update,patch,delete|",
                "virtfleet.io|virtualmachinesnapshots,virtualmachinerestores|get,list,watch,update,patch|",
                "virtfleet.io|rootvolumes/status,virtualmachines/status,virtualmachinesnapshots/status,"
                        + "virtualmachinerestores/status|get,update,patch|",
                "virtfleet.io|rootvolumes/finalizers,virtualmachines/finalizers,virtualmachinesnapshots/finalizers,"
                        + "virtualmachinerestores/finalizers|update|",
                "|events|create,patch|",
                "events.k8s.io|events|create,patch|",
                "|secrets|get|",
                "|nodes|get,list,watch|",
                "virtfleet.io|tenantpolicies|get,list,watch|",
                "virtfleet.io|virtualnetworks|get,list,watch,update,patch|",
                "virtfleet.io|virtualnetworks/status|get,update,patch|",
                "virtfleet.io|virtualnetworks/finalizers|update|",
                "virtfleet.io|virtualmachineimages|get,list,watch,update,patch|",
                "virtfleet.io|virtualmachineimages/status|get,update,patch|",
                "virtfleet.io|virtualmachineimages/finalizers|update|",
                "|namespaces|get,list,watch|",
                "authentication.k8s.io|tokenreviews|create|",
                "authorization.k8s.io|subjectaccessreviews|create|");
    }

    /** The console gateway may read the requestheader CA the way every extension API server does, nothing more. */
    @Test
    void theConsoleGatewayReadsTheApiServersAuthenticationConfigOnly() {
        RoleBinding reader = RENDERED.one(RoleBinding.class, "vf-virtfleet-operator-auth-reader");

        assertThat(reader.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(reader.getRoleRef().getKind() + "/" + reader.getRoleRef().getName())
                .isEqualTo("Role/extension-apiserver-authentication-reader");
        RenderedManifests without = ChartRender.with(Map.of("operator.consoles.enabled", false));
        assertThat(without.all(RoleBinding.class)).noneMatch(b -> b.getMetadata().getName().endsWith("auth-reader"));
        assertThat(flatten(without.one(ClusterRole.class, "vf-virtfleet-operator").getRules()))
                .noneMatch(rule -> rule.contains("reviews"));
    }

    @Test
    void noRuleUsesWildcards() {
        List<PolicyRule> all = Stream.concat(
                RENDERED.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                RENDERED.all(Role.class).stream().flatMap(r -> r.getRules().stream())).toList();

        assertThat(all).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void namespacedRoleCoversAgentDiscoveryAndOnlyTheOperatorsOwnLease() {
        Role role = RENDERED.one(Role.class, "vf-virtfleet-operator");

        assertThat(role.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        assertThat(flatten(role.getRules())).containsExactlyInAnyOrder(
                "|pods|get,list,watch|",
                "coordination.k8s.io|leases|create|",
                "coordination.k8s.io|leases|get,update|virtfleet-operator");
    }

    @Test
    void withoutLeaderElectionTheOperatorGetsNoLeaseRights() {
        Role role = ChartRender.with(Map.of("operator.leaderElection.enabled", false)).one(Role.class, "vf-virtfleet-operator");

        assertThat(flatten(role.getRules())).containsExactly("|pods|get,list,watch|");
    }

    @Test
    void bindingsNameOnlyTheOperatorServiceAccount() {
        Stream<String> subjects = Stream.concat(
                RENDERED.all(ClusterRoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()),
                RENDERED.all(RoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()))
                .map(s -> s.getKind() + "/" + s.getNamespace() + "/" + s.getName());

        assertThat(subjects.distinct().toList())
                .containsExactly("ServiceAccount/virtfleet-system/vf-virtfleet-operator");
    }
}
