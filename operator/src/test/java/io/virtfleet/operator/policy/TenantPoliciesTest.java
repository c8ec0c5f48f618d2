package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.virtfleet.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Policies and namespace labels read through informers; changes wake only the namespaces whose policy changed. */
@EnableKubernetesMockClient(crud = true)
class TenantPoliciesTest {
    KubernetesClient client;

    @Test
    void resolvesFromInformersAndNotifiesOnlyTheNamespacesWhosePolicyChanged() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a")
                .withLabels(Map.of("team", "a")).endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b")
                .withLabels(Map.of("team", "b")).endMetadata().build()).create();
        try (TenantPolicies policies = new TenantPolicies(client)) {
            List<String> woken = new CopyOnWriteArrayList<>();
            policies.onChange(woken::add);
            assertThat(policies.of("team-a").policies()).isEmpty();
            assertThat(policies.of("team-b").policies()).isEmpty();

            TenantPolicy forA = client.resource(policy("team-a-bridges", Map.of("team", "a"),
                    s -> s.setBridges(List.of("br0")))).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("team-a"));
            assertThat(policies.of("team-a").bridges()).containsExactly("br0");
            assertThat(woken).doesNotContain("team-b");

            woken.clear();
            client.namespaces().withName("team-b").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                    .addToLabels("team", "a").endMetadata().build());
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("team-b"));
            assertThat(policies.of("team-b").policies()).containsExactly(forA.getMetadata().getName());
        }
    }
}
