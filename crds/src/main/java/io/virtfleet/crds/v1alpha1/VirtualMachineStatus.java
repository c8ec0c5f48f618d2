package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Observed state of a virtual machine, written only by the operator. */
// conditions as metav1.Condition lists are declared: one per type (a list map keyed by type), bounded
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class VirtualMachineStatus extends ConditionedStatus {
    @JsonPropertyDescription("Pending, Provisioning, Starting, Running, Paused, Stopped, Reprovisioning or Failed.")
    private VirtualMachinePhase phase;

    @Size(max = 253)
    @JsonPropertyDescription("The node the VM is bound to.")
    private String nodeName;

    @Size(max = 36)
    @JsonPropertyDescription("UUID of the libvirt domain.")
    private String domainUUID;

    @Size(max = 16)
    @JsonPropertyDescription("MAC address of each network interface, in spec order.")
    private List<@Size(max = 17) String> macAddresses;

    @Size(max = 16)
    @JsonPropertyDescription("IPv4 address of each network interface, in spec order.")
    private List<@Size(max = 18) String> ipAddresses;

    @Size(max = 64)
    @JsonPropertyDescription("Addresses libvirt holds for the NICs (anti-spoofing filter parameters, DHCP leases), "
            + "observed on the host rather than copied from the spec.")
    private List<ObservedInterface> interfaces;

    public List<ObservedInterface> getInterfaces() { return interfaces; }
    public void setInterfaces(List<ObservedInterface> interfaces) { this.interfaces = interfaces; }

    @Size(max = 8)
    @JsonPropertyDescription("Host devices assigned on the VM's node, kept while the VM exists.")
    private List<AssignedHostDevice> hostDevices;

    @JsonPropertyDescription("How to reach the consoles.")
    private Console console;

    @JsonPropertyDescription("vCPUs and memory of the running domain, as its node reports them; absent while it does not run.")
    private LiveHardware hardware;

    @Size(max = 253)
    @JsonPropertyDescription("cloud-init instance-id of the current seed; a new one after each reprovision.")
    private String instanceId;

    @Size(max = 253)
    @JsonPropertyDescription("The reprovisionToken the VM was last provisioned with.")
    private String provisionedToken;

    @Size(max = 253)
    @JsonPropertyDescription("The spec.restartToken the operator last acted on (restarted, or recorded without a restart).")
    private String observedRestartToken;

    public VirtualMachinePhase getPhase() {
        return phase;
    }

    public void setPhase(VirtualMachinePhase phase) {
        this.phase = phase;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getDomainUUID() {
        return domainUUID;
    }

    public void setDomainUUID(String domainUUID) {
        this.domainUUID = domainUUID;
    }

    public List<String> getMacAddresses() {
        return macAddresses;
    }

    public void setMacAddresses(List<String> macAddresses) {
        this.macAddresses = macAddresses;
    }

    public List<String> getIpAddresses() {
        return ipAddresses;
    }

    public void setIpAddresses(List<String> ipAddresses) {
        this.ipAddresses = ipAddresses;
    }

    public Console getConsole() {
        return console;
    }

    public void setConsole(Console console) {
        this.console = console;
    }

    public LiveHardware getHardware() {
        return hardware;
    }

    public void setHardware(LiveHardware hardware) {
        this.hardware = hardware;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getProvisionedToken() {
        return provisionedToken;
    }

    public void setProvisionedToken(String provisionedToken) {
        this.provisionedToken = provisionedToken;
    }

    public String getObservedRestartToken() {
        return observedRestartToken;
    }

    public void setObservedRestartToken(String observedRestartToken) {
        this.observedRestartToken = observedRestartToken;
    }

    public List<AssignedHostDevice> getHostDevices() {
        return hostDevices;
    }

    public void setHostDevices(List<AssignedHostDevice> hostDevices) {
        this.hostDevices = hostDevices;
    }
}
