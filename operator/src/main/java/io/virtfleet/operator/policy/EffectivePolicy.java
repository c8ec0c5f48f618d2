package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.crds.v1alpha1.ImageSourceRule;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;
import io.virtfleet.crds.v1alpha1.TenantQuota;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one namespace may use: the union of the allowances of every TenantPolicy that selects it (allowances add up,
 * like RBAC roles), and every one of their quotas (each holds, like several ResourceQuotas in one namespace). No
 * policy gives the safe subset: no kernel boot, no bridges, the default pool only, the tenant's own credentials or
 * public https images, no quota.
 *
 * @param namespace         the namespace
 * @param policies          names of the matching policies, sorted (for messages)
 * @param bridges           bridges NICs may use
 * @param pools             storage pools volumes may name (the default pool is always allowed)
 * @param kernelDirectories directories kernel and initrd files may come from
 * @param ownSourcesAllowed true when some matching policy (or none at all) leaves imageSources unset: images with the
 *                          tenant's own credentials, or public https, are allowed
 * @param imageSources      prefixes allowed by policies that list them
 * @param quotas            every quota of a matching policy, by policy name
 * @param networks          VirtualNetworks NICs may join (entries ending in '*' allow a prefix)
 * @param firewallOptOut    whether NICs may turn anti-spoofing off
 * @param hostDevices       host device resource names VirtualMachines may ask for
 */
public record EffectivePolicy(String namespace, List<String> policies, Set<String> bridges, Set<String> pools,
                              List<String> kernelDirectories, boolean ownSourcesAllowed,
                              List<ImageSourceRule> imageSources, Map<String, TenantQuota> quotas,
                              Set<String> networks, boolean firewallOptOut, Set<String> hostDevices) {
    /** The label every namespace carries with its own name (the API server sets it), so policies can select by name. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public static EffectivePolicy none(String namespace) {
        return new EffectivePolicy(namespace, List.of(), Set.of(), Set.of(), List.of(), true, List.of(), Map.of(),
                Set.of(), false, Set.of());
    }

    /** The namespace's labels; a namespace that is not (yet) known carries only its name label. */
    public static Map<String, String> labelsOf(String namespace, Namespace object) {
        Map<String, String> labels = new HashMap<>();
        if (object != null && object.getMetadata().getLabels() != null) {
            labels.putAll(object.getMetadata().getLabels());
        }
        labels.put(NAME_LABEL, namespace);
        return labels;
    }

    public static EffectivePolicy resolve(String namespace, Map<String, String> labels,
                                          Collection<TenantPolicy> all) {
        List<TenantPolicy> matching = all.stream()
                .filter(p -> p.getSpec() != null && LabelSelectors.matches(p.getSpec().getNamespaceSelector(), labels))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        if (matching.isEmpty()) {
            return none(namespace);
        }
        Set<String> bridges = new LinkedHashSet<>();
        Set<String> networks = new LinkedHashSet<>();
        Set<String> hostDevices = new LinkedHashSet<>();
        boolean optOut = false;
        Set<String> pools = new LinkedHashSet<>();
        Set<String> directories = new LinkedHashSet<>();
        List<ImageSourceRule> sources = new java.util.ArrayList<>();
        Map<String, TenantQuota> quotas = new java.util.LinkedHashMap<>();
        boolean own = false;
        for (TenantPolicy policy : matching) {
            TenantPolicySpec spec = policy.getSpec();
            addAll(bridges, spec.getBridges(), Patterns.BRIDGE);
            addAll(networks, spec.getNetworks(), "^[a-z0-9][a-z0-9.-]{0,62}[*]?$");
            optOut |= Boolean.TRUE.equals(spec.getFirewallOptOut());
            addAll(hostDevices, spec.getHostDevices(), Patterns.HOST_DEVICE_RESOURCE);
            addAll(pools, spec.getStoragePools(), Patterns.POOL);
            addAll(directories, spec.getKernelBootDirectories(), Patterns.ABSOLUTE_DIRECTORY);
            directories.removeIf(d -> d.matches(".*" + Patterns.DOT_SEGMENT + ".*"));
            if (spec.getImageSources() == null) {
                own = true;
            } else {
                spec.getImageSources().stream()
                        .filter(r -> r.getUrlPrefix() != null && r.getUrlPrefix().matches(Patterns.IMAGE_URL_PREFIX))
                        .forEach(sources::add);
            }
            if (spec.getQuota() != null) {
                quotas.put(policy.getMetadata().getName(), spec.getQuota());
            }
        }
        return new EffectivePolicy(namespace, matching.stream().map(p -> p.getMetadata().getName()).toList(),
                Set.copyOf(bridges), Set.copyOf(pools), List.copyOf(directories), own, List.copyOf(sources),
                Map.copyOf(quotas), Set.copyOf(networks), optOut, Set.copyOf(hostDevices));
    }

    /**
     * Entries the CRD would have refused are dropped, not trusted: an older CRD or a permissive API server must not
     * turn "" or "/" into "everything".
     */
    private static void addAll(Set<String> into, List<String> values, String pattern) {
        if (values != null) {
            values.stream().filter(v -> v != null && v.matches(pattern)).forEach(into::add);
        }
    }

    /** "TenantPolicy a, b" or "no TenantPolicy", for messages. */
    public String describe() {
        return policies.isEmpty() ? "no TenantPolicy selects namespace " + namespace
                : "TenantPolicy " + String.join(", ", policies) + " (namespace " + namespace + ")";
    }
}
