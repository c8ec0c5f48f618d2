package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.virtfleet.crds.v1alpha1.ImageSourceRule;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** TenantPolicy objects for tests. */
final class Policies {
    private Policies() {
    }

    static TenantPolicy policy(String name, Map<String, String> matchLabels, Consumer<TenantPolicySpec> allow) {
        return policy(name, new LabelSelectorBuilder().withMatchLabels(matchLabels).build(), allow);
    }

    static TenantPolicy policy(String name, LabelSelector selector, Consumer<TenantPolicySpec> allow) {
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.setNamespaceSelector(selector);
        allow.accept(spec);
        TenantPolicy policy = new TenantPolicy();
        policy.getMetadata().setName(name);
        policy.setSpec(spec);
        return policy;
    }

    static EffectivePolicy effective(String namespace, TenantPolicy... policies) {
        return EffectivePolicy.resolve(namespace, EffectivePolicy.labelsOf(namespace, null), List.of(policies));
    }

    static ImageSourceRule source(String prefix, boolean platformCredentials) {
        return new ImageSourceRule(prefix, platformCredentials);
    }
}
