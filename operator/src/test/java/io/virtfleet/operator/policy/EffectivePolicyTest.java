package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.TenantQuota;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.virtfleet.operator.policy.Policies.policy;
import static io.virtfleet.operator.policy.Policies.source;
import static org.assertj.core.api.Assertions.assertThat;

class EffectivePolicyTest {
    private static final Map<String, String> TEAM_A = Map.of("team", "a", EffectivePolicy.NAME_LABEL, "team-a");

    @Test
    void withoutAPolicyANamespaceGetsTheSafeSubset() {
        EffectivePolicy none = EffectivePolicy.resolve("team-a", TEAM_A, List.of());
        assertThat(none.policies()).isEmpty();
        assertThat(none.bridges()).isEmpty();
        assertThat(none.pools()).isEmpty();
        assertThat(none.kernelDirectories()).isEmpty();
        assertThat(none.imageSources()).isEmpty();
        assertThat(none.ownSourcesAllowed()).isTrue();
        assertThat(none.quotas()).isEmpty();
        assertThat(none.describe()).contains("no TenantPolicy selects namespace team-a");
    }

    @Test
    void allowancesOfEveryMatchingPolicyAddUpAndEveryQuotaIsKept() {
        var network = policy("network", Map.of("team", "a"), s -> {
            s.setBridges(List.of("br0"));
            s.setImageSources(List.of(source("s3://images/", true)));
            s.setQuota(new TenantQuota(8, null, null));
        });
        var storage = policy("storage", Map.of(), s -> {
            s.setStoragePools(List.of("fast"));
            s.setKernelBootDirectories(List.of("/srv/kernels"));
            s.setQuota(new TenantQuota(null, new Quantity("16Gi"), null));
        });
        var other = policy("other-team", Map.of("team", "b"), s -> s.setBridges(List.of("br9")));

        EffectivePolicy effective = EffectivePolicy.resolve("team-a", TEAM_A, List.of(storage, other, network));

        assertThat(effective.policies()).containsExactly("network", "storage");
        assertThat(effective.bridges()).containsExactly("br0");
        assertThat(effective.pools()).containsExactly("fast");
        assertThat(effective.kernelDirectories()).containsExactly("/srv/kernels");
        assertThat(effective.imageSources()).extracting(r -> r.getUrlPrefix()).containsExactly("s3://images/");
        assertThat(effective.ownSourcesAllowed()).as("storage leaves imageSources unset").isTrue();
        assertThat(effective.quotas()).containsOnlyKeys("network", "storage");
    }

    @Test
    void aPolicyListingImageSourcesAloneAllowsOnlyThem() {
        var listed = policy("listed", Map.of(), s -> s.setImageSources(List.of(source("https://images.example/", false))));
        assertThat(EffectivePolicy.resolve("team-a", TEAM_A, List.of(listed)).ownSourcesAllowed()).isFalse();
    }

    @Test
    void entriesTheCrdWouldRefuseAreDroppedNotTrusted() {
        var sloppy = policy("sloppy", Map.of(), s -> {
            s.setKernelBootDirectories(List.of("/", "", "srv/kernels", "/srv/../etc", "/srv/kernels"));
            s.setBridges(List.of("", "br0"));
            s.setStoragePools(List.of("../pool", "fast"));
            s.setImageSources(List.of(source("", true), source("s3://", true), source("s3://images/", true)));
        });
        EffectivePolicy effective = EffectivePolicy.resolve("team-a", TEAM_A, List.of(sloppy));
        assertThat(effective.kernelDirectories()).containsExactly("/srv/kernels");
        assertThat(effective.bridges()).containsExactly("br0");
        assertThat(effective.pools()).containsExactly("fast");
        assertThat(effective.imageSources()).extracting(r -> r.getUrlPrefix()).containsExactly("s3://images/");
    }

    @Test
    void selectorsFollowKubernetesSemantics() {
        var byName = policy("by-name", Map.of(EffectivePolicy.NAME_LABEL, "team-a"), s -> s.setBridges(List.of("b1")));
        var prod = policy("prod", new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("In")
                .withValues("prod").endMatchExpression().build(), s -> s.setBridges(List.of("b2")));
        var notSandbox = policy("not-sandbox", new LabelSelectorBuilder().addNewMatchExpression().withKey("sandbox")
                .withOperator("DoesNotExist").endMatchExpression().build(), s -> s.setBridges(List.of("b3")));
        var noSelector = policy("broken", (io.fabric8.kubernetes.api.model.LabelSelector) null,
                s -> s.setBridges(List.of("b4")));
        var namespace = new NamespaceBuilder().withNewMetadata().withName("team-a")
                .withLabels(Map.of("tier", "dev", "sandbox", "yes")).endMetadata().build();

        EffectivePolicy effective = EffectivePolicy.resolve("team-a", EffectivePolicy.labelsOf("team-a", namespace),
                List.of(byName, prod, notSandbox, noSelector));

        assertThat(effective.bridges()).as("a missing selector selects nothing").containsExactly("b1");
        assertThat(EffectivePolicy.labelsOf("ghost", null)).containsExactly(Map.entry(EffectivePolicy.NAME_LABEL, "ghost"));
    }
}
