package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.virtfleet.crds.v1alpha1.schema.LabelSelectorSchema;

import java.util.List;

/**
 * Allowances for the namespaces a policy selects. Several policies may select one namespace: their allowances add
 * up (like RBAC roles) and every quota holds (like several ResourceQuotas).
 */
public class TenantPolicySpec {
    @Required
    @SchemaFrom(type = LabelSelectorSchema.class)
    @JsonPropertyDescription("Namespaces this policy applies to, by their labels ({} selects every namespace; "
            + "kubernetes.io/metadata.name selects one by name).")
    private LabelSelector namespaceSelector;

    @Size(max = 64)
    @ValidationRule(value = Patterns.BRIDGE_LIST_RULE, message = "bridges entries must be interface names of at most 15 characters")
    @JsonPropertyDescription("Host bridges VirtualMachine network interfaces may attach to. None when empty.")
    private List<@Size(max = 15) String> bridges;

    @Size(max = 64)
    @ValidationRule(value = Patterns.NETWORK_LIST_RULE, message = "networks entries must be VirtualNetwork names or prefixes ending in *")
    @JsonPropertyDescription("VirtualNetworks VirtualMachine network interfaces may join (a trailing * allows every "
            + "name with that prefix). None when empty.")
    private List<@Size(max = 64) String> networks;

    @JsonPropertyDescription("Whether network interfaces may turn anti-spoofing off (firewall.antiSpoofing false). "
            + "Default false; the host agent must allow it too.")
    private Boolean firewallOptOut;

    public List<String> getNetworks() { return networks; }
    public void setNetworks(List<String> networks) { this.networks = networks; }
    public Boolean getFirewallOptOut() { return firewallOptOut; }
    public void setFirewallOptOut(Boolean firewallOptOut) { this.firewallOptOut = firewallOptOut; }

    @Size(max = 32)
    @ValidationRule(value = Patterns.POOL_LIST_RULE, message = "storagePools entries must be pool names")
    @JsonPropertyDescription("Storage pools (RootVolume spec.storage) tenants may name. The agent's default pool "
            + "(spec.storage unset) is always allowed.")
    private List<@Size(max = 128) String> storagePools;

    @Size(max = 32)
    @ValidationRule(value = Patterns.DIRECTORY_LIST_RULE, message = "kernelBootDirectories entries must be absolute directories without . or .. segments")
    @JsonPropertyDescription("Host directories spec.kernelBoot kernel and initrd files may come from. Direct kernel "
            + "boot is refused when empty.")
    private List<@Size(max = 1024) String> kernelBootDirectories;

    @Size(max = 32)
    @ValidationRule(value = Patterns.HOST_DEVICE_RESOURCE_LIST_RULE, message = "hostDevices entries must be resource names such as gpu.example.com/t4")
    @JsonPropertyDescription("Host device resource names (spec.hostDevices[].resourceName) VirtualMachines may ask "
            + "for. None when empty; the host agents must offer the model too.")
    private List<@Size(max = 253) String> hostDevices;

    public List<String> getHostDevices() { return hostDevices; }
    public void setHostDevices(List<String> hostDevices) { this.hostDevices = hostDevices; }

    @Size(max = 64)
    @JsonPropertyDescription("Image locations tenants may use. When unset: any image the tenant brings its own "
            + "credentialsSecret for, or a public https:// URL, never the platform's S3 credentials. When set: only URLs "
            + "under these prefixes.")
    private List<ImageSourceRule> imageSources;

    @JsonPropertyDescription("Totals per namespace; objects already placed keep running, a new one that would exceed "
            + "is not placed.")
    private TenantQuota quota;

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }

    public List<String> getBridges() {
        return bridges;
    }

    public void setBridges(List<String> bridges) {
        this.bridges = bridges;
    }

    public List<String> getStoragePools() {
        return storagePools;
    }

    public void setStoragePools(List<String> storagePools) {
        this.storagePools = storagePools;
    }

    public List<String> getKernelBootDirectories() {
        return kernelBootDirectories;
    }

    public void setKernelBootDirectories(List<String> kernelBootDirectories) {
        this.kernelBootDirectories = kernelBootDirectories;
    }

    public List<ImageSourceRule> getImageSources() {
        return imageSources;
    }

    public void setImageSources(List<ImageSourceRule> imageSources) {
        this.imageSources = imageSources;
    }

    public TenantQuota getQuota() {
        return quota;
    }

    public void setQuota(TenantQuota quota) {
        this.quota = quota;
    }
}
