package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;

/** Desired state of a virtual machine. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"memory\":{\"maxLength\":64}}}")
@ValidationRule(value = "!has(self.nodeName) || !has(self.nodeSelector)",
        message = "set either nodeName or nodeSelector, not both")
@ValidationRule(value = "!has(self.reprovisionToken) || has(self.rootVolume.template)",
        message = "reprovisionToken needs rootVolume.template; reprovision a named RootVolume through its own reprovisionToken")
@ValidationRule(value = Patterns.VCPUS_WITHIN_MAXIMUM_RULE, message = "vcpus must not exceed liveUpdate.maxVcpus")
public class VirtualMachineSpec {
    @Required
    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("Number of virtual CPUs.")
    private Integer vcpus;

    @Required
    @ValidationRule(value = Patterns.POSITIVE_QUANTITY_RULE, message = "memory must be a positive quantity")
    @JsonPropertyDescription("Memory of the guest (e.g. 2Gi).")
    private Quantity memory;

    @JsonPropertyDescription("Maxima up to which vcpus and memory change on the running VM; without them a change waits for a restart.")
    private LiveUpdate liveUpdate;

    @Required
    @JsonPropertyDescription("The root disk: a RootVolume by name, or a template the operator creates one from.")
    private RootVolumeReference rootVolume;

    @Size(max = 25)
    @ValidationRule(value = Patterns.UNIQUE_DEVICES_RULE, message = "dataDisks[].device must be unique")
    @JsonPropertyDescription("Additional empty disks.")
    private List<DataDisk> dataDisks;

    @Size(max = 16)
    @ValidationRule(value = Patterns.UNIQUE_IPS_RULE, message = "networkInterfaces[].ip addresses must be unique")
    @ValidationRule(value = Patterns.ONE_DEFAULT_ROUTE_RULE, message = "at most one network interface may set defaultRoute")
    @JsonPropertyDescription("Network interfaces on host bridges or VirtualNetworks, static or DHCP.")
    private List<NetworkInterface> networkInterfaces;

    @Size(max = 8)
    @ValidationRule(value = Patterns.UNIQUE_HOST_DEVICE_NAMES_RULE, message = "hostDevices[].name must be unique")
    @JsonPropertyDescription("Host PCI devices (GPUs, NIC functions) passed through to the guest, by the platform's "
            + "resource names; the VM goes only to a node with enough free devices of each.")
    private List<HostDeviceRequest> hostDevices;

    @JsonPropertyDescription("Cloud-init NoCloud seed contents.")
    private CloudInit cloudInit;

    @Default("bios")
    @JsonPropertyDescription("bios (default) or uefi.")
    private Firmware firmware;

    @JsonPropertyDescription("host-model or host-passthrough; empty leaves the hypervisor's default.")
    private CpuMode cpuMode;

    @JsonPropertyDescription("Boot a kernel and initramfs from files on the node instead of the root disk's boot loader.")
    private KernelBoot kernelBoot;

    @Default("Always")
    @JsonPropertyDescription("Always (default): keep running; Halted: keep stopped (graceful shutdown); Paused: keep defined and started but "
            + "paused (started first when stopped); Manual: leave the power state alone.")
    private RunStrategy runStrategy;

    @Size(max = 253)
    @JsonPropertyDescription("Node (hypervisor) the VM must run on. Empty follows the root volume's node.")
    private String nodeName;

    @JsonPropertyDescription("Labels a node must carry to run the VM.")
    @Size(max = 32)
    private Map<String, @Size(max = 63) String> nodeSelector;

    @Size(max = 253)
    @JsonPropertyDescription("Any change reprovisions the VM: stop, re-populate the root volume, new seed, start.")
    private String reprovisionToken;

    @Size(max = 253)
    @JsonPropertyDescription("Any change to a new value restarts the VM once (graceful shutdown, then start); the "
            + "operator records the value it acted on in status.observedRestartToken. Recorded only, without a restart, "
            + "while runStrategy is Halted or Manual or before the VM first ran.")
    private String restartToken;

    @JsonPropertyDescription("Consoles besides the serial console: vnc: true adds a VNC display.")
    private ConsoleSpec console;

    public Integer getVcpus() {
        return vcpus;
    }

    public void setVcpus(Integer vcpus) {
        this.vcpus = vcpus;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }

    public LiveUpdate getLiveUpdate() {
        return liveUpdate;
    }

    public void setLiveUpdate(LiveUpdate liveUpdate) {
        this.liveUpdate = liveUpdate;
    }

    public RootVolumeReference getRootVolume() {
        return rootVolume;
    }

    public void setRootVolume(RootVolumeReference rootVolume) {
        this.rootVolume = rootVolume;
    }

    public List<DataDisk> getDataDisks() {
        return dataDisks;
    }

    public void setDataDisks(List<DataDisk> dataDisks) {
        this.dataDisks = dataDisks;
    }

    public List<NetworkInterface> getNetworkInterfaces() {
        return networkInterfaces;
    }

    public void setNetworkInterfaces(List<NetworkInterface> networkInterfaces) {
        this.networkInterfaces = networkInterfaces;
    }

    public CloudInit getCloudInit() {
        return cloudInit;
    }

    public void setCloudInit(CloudInit cloudInit) {
        this.cloudInit = cloudInit;
    }

    public Firmware getFirmware() {
        return firmware;
    }

    public void setFirmware(Firmware firmware) {
        this.firmware = firmware;
    }

    public CpuMode getCpuMode() {
        return cpuMode;
    }

    public void setCpuMode(CpuMode cpuMode) {
        this.cpuMode = cpuMode;
    }

    public KernelBoot getKernelBoot() {
        return kernelBoot;
    }

    public void setKernelBoot(KernelBoot kernelBoot) {
        this.kernelBoot = kernelBoot;
    }

    public RunStrategy getRunStrategy() {
        return runStrategy;
    }

    public void setRunStrategy(RunStrategy runStrategy) {
        this.runStrategy = runStrategy;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public String getReprovisionToken() {
        return reprovisionToken;
    }

    public void setReprovisionToken(String reprovisionToken) {
        this.reprovisionToken = reprovisionToken;
    }

    public String getRestartToken() {
        return restartToken;
    }

    public void setRestartToken(String restartToken) {
        this.restartToken = restartToken;
    }

    public ConsoleSpec getConsole() {
        return console;
    }

    public void setConsole(ConsoleSpec console) {
        this.console = console;
    }

    public List<HostDeviceRequest> getHostDevices() {
        return hostDevices;
    }

    public void setHostDevices(List<HostDeviceRequest> hostDevices) {
        this.hostDevices = hostDevices;
    }
}
