package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.DataDisk;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.rootvolume.RootVolumeSpecCheck;
import io.virtfleet.operator.spec.FieldCheck;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;

import java.util.List;
import java.util.Optional;

/**
 * Re-checks a VirtualMachine spec in code with the CRD schema's rules (patterns, positive sizes, unique devices and
 * IPs, SSH key types); problems name the field. Secret values (the password hash) are checked when read.
 */
public final class VirtualMachineSpecCheck {
    private VirtualMachineSpecCheck() {
    }

    public static Optional<Problem> check(String name, VirtualMachineSpec spec) {
        FieldCheck check = new FieldCheck().pattern(name, Patterns.NAME, "metadata.name");
        if (spec == null) {
            return check.require(false, "spec is required").result(Reason.INVALID_SPEC);
        }
        check.require(spec.getVcpus() != null && spec.getVcpus() >= 1, "spec.vcpus must be at least 1")
                .positive(spec.getMemory(), "spec.memory", "1Gi")
                .require(spec.getNodeName() == null || spec.getNodeSelector() == null
                        || spec.getNodeSelector().isEmpty(), "spec: set either nodeName or nodeSelector, not both")
                // The token is copied into status and Event messages: bounded as the CRD bounds it.
                .require(spec.getRestartToken() == null || spec.getRestartToken().length() <= 253,
                        "spec.restartToken is longer than 253 characters");
        var root = spec.getRootVolume();
        if (root == null || (root.getName() == null) == (root.getTemplate() == null)) {
            check.require(false, "spec.rootVolume must set exactly one of name or template");
        } else if (root.getTemplate() != null) {
            check.require(root.getTemplate().getSource() == null, "spec.rootVolume.template: a template cannot clone;"
                    + " create the cloned RootVolume and name it");
            RootVolumeSpecCheck.into(check, root.getTemplate(), "spec.rootVolume.template");
        } else {
            check.pattern(root.getName(), Patterns.NAME, "spec.rootVolume.name")
                    .require(spec.getReprovisionToken() == null, "spec.reprovisionToken needs rootVolume.template; "
                            + "reprovision a named RootVolume through its own spec.reprovisionToken");
        }
        checkDisks(check, spec.getDataDisks() == null ? List.of() : spec.getDataDisks());
        checkNics(check, spec.getNetworkInterfaces() == null ? List.of() : spec.getNetworkInterfaces());
        checkHostDevices(check, spec.getHostDevices() == null ? List.of() : spec.getHostDevices());
        checkCloudInit(check, spec.getCloudInit());
        checkKernelBoot(check, spec.getKernelBoot());
        checkLiveUpdate(check, spec);
        return check.result(Reason.INVALID_SPEC);
    }

    /** The requested values within the declared maxima (the CRD's CEL checks vcpus; memory only here, see Patterns). */
    private static void checkLiveUpdate(FieldCheck check, VirtualMachineSpec spec) {
        LiveUpdate live = spec.getLiveUpdate();
        if (live == null) {
            return;
        }
        check.require(live.getMaxVcpus() == null || spec.getVcpus() == null || spec.getVcpus() <= live.getMaxVcpus(),
                "spec.vcpus (" + spec.getVcpus() + ") must not exceed spec.liveUpdate.maxVcpus (" + live.getMaxVcpus()
                        + ")");
        if (live.getMaxMemory() != null) {
            check.positive(live.getMaxMemory(), "spec.liveUpdate.maxMemory", "4Gi")
                    .require(Quantities.bytes(spec.getMemory()) <= Quantities.bytes(live.getMaxMemory()),
                            "spec.memory (" + spec.getMemory() + ") must not exceed spec.liveUpdate.maxMemory ("
                                    + live.getMaxMemory() + ")");
        }
    }

    private static void checkDisks(FieldCheck check, List<DataDisk> disks) {
        for (int i = 0; i < disks.size(); i++) {
            check.pattern(disks.get(i).getDevice(), Patterns.DATA_DISK_DEVICE, "spec.dataDisks[" + i + "].device")
                    .positive(disks.get(i).getSize(), "spec.dataDisks[" + i + "].size", "10Gi");
        }
        check.unique(disks.stream().map(DataDisk::getDevice).toList(), "spec.dataDisks[].device");
    }

    private static void checkNics(FieldCheck check, List<NetworkInterface> nics) {
        for (int i = 0; i < nics.size(); i++) {
            NetworkInterface nic = nics.get(i);
            String field = "spec.networkInterfaces[" + i + "]";
            boolean dhcp = nic.getAddressing() == NetworkInterface.Addressing.DHCP;
            check.require((nic.getBridge() == null) != (nic.getNetwork() == null),
                            field + ": set exactly one of bridge and network")
                    .pattern(nic.getBridge(), Patterns.BRIDGE, field + ".bridge")
                    .pattern(nic.getNetwork(), Patterns.NETWORK_NAME, field + ".network")
                    .require(dhcp || nic.getIp() != null, field + ".ip is required (or addressing: DHCP)")
                    .require(!dhcp || nic.getIp() == null, field + ".ip must be empty with addressing: DHCP")
                    .pattern(nic.getIp(), Patterns.IPV4_CIDR, field + ".ip")
                    .pattern(nic.getGateway(), Patterns.IPV4, field + ".gateway")
                    .pattern(nic.getMac(), Patterns.MAC, field + ".mac");
            for (String dns : nic.getDns() == null ? List.<String>of() : nic.getDns()) {
                check.pattern(dns, Patterns.IPV4, field + ".dns");
            }
            FirewallRuleCheck.check(check, nic.getFirewall(), field + ".firewall");
        }
        check.unique(nics.stream().map(n -> n.getIp() == null ? null : n.getIp().split("/")[0]).toList(),
                        "spec.networkInterfaces[].ip")
                .unique(nics.stream().map(VirtualMachineSpecCheck::macOrNull).toList(), "spec.networkInterfaces[].mac")
                .require(nics.stream().filter(n -> Boolean.TRUE.equals(n.getDefaultRoute())).count() <= 1,
                        "spec.networkInterfaces: at most one may set defaultRoute");
    }

    private static void checkHostDevices(FieldCheck check, List<HostDeviceRequest> devices) {
        check.require(devices.size() <= 8, "spec.hostDevices: at most 8 devices");
        for (int i = 0; i < devices.size(); i++) {
            String field = "spec.hostDevices[" + i + "]";
            check.require(devices.get(i).getName() != null && devices.get(i).getResourceName() != null,
                            field + ": name and resourceName are required")
                    .pattern(devices.get(i).getName(), Patterns.HOST_DEVICE_NAME, field + ".name")
                    .pattern(devices.get(i).getResourceName(), Patterns.HOST_DEVICE_RESOURCE, field + ".resourceName");
        }
        check.unique(devices.stream().map(HostDeviceRequest::getName).toList(), "spec.hostDevices[].name");
    }

    /** The NIC's MAC as the agent will get it; null when the patterns above already reject its mac or ip. */
    private static String macOrNull(NetworkInterface nic) {
        try {
            return MacAddresses.forNic(nic.getMac(), nic.getIp());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void checkKernelBoot(FieldCheck check, KernelBoot boot) {
        if (boot == null) {
            return;
        }
        check.require(boot.getKernel() != null, "spec.kernelBoot.kernel is required")
                .pattern(boot.getKernel(), Patterns.ABSOLUTE_PATH, "spec.kernelBoot.kernel")
                .pattern(boot.getInitrd(), Patterns.ABSOLUTE_PATH, "spec.kernelBoot.initrd")
                .require(boot.getCmdline() == null || boot.getCmdline().length() <= 2048,
                        "spec.kernelBoot.cmdline is longer than 2048 characters");
    }

    private static void checkCloudInit(FieldCheck check, CloudInit cloudInit) {
        if (cloudInit == null) {
            return;
        }
        check.pattern(cloudInit.getFqdn(), Patterns.FQDN, "spec.cloudInit.fqdn");
        List<String> keys = cloudInit.getSshAuthorizedKeys() == null ? List.of() : cloudInit.getSshAuthorizedKeys();
        for (int i = 0; i < keys.size(); i++) {
            check.require(keys.get(i) != null && keys.get(i).matches(Patterns.SSH_PUBLIC_KEY),
                    "spec.cloudInit.sshAuthorizedKeys[" + i + "] is not an OpenSSH public key "
                            + "(ssh-ed25519, ssh-rsa, ecdsa-sha2-..., sk-...)");
        }
    }
}
