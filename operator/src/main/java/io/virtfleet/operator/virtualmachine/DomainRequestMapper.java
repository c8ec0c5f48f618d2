package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.CpuMode;
import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.secrets.SeedSecrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The one converter from a VirtualMachine spec to the agent's {@link DomainRequest}. */
public final class DomainRequestMapper {
    private DomainRequestMapper() {
    }

    /** @param ownerUid the VM's UID: the agent records it with the domain and refuses requests carrying another */
    public static DomainRequest map(String vmName, String ownerUid, VirtualMachineSpec spec, String rootVolume,
                                    boolean running, String instanceId, SeedSecrets secrets) {
        List<NetworkInterface> nics = spec.getNetworkInterfaces() == null ? List.of() : spec.getNetworkInterfaces();
        List<DomainRequest.DataDisk> disks = spec.getDataDisks() == null ? List.of() : spec.getDataDisks().stream()
                .map(d -> new DomainRequest.DataDisk(d.getDevice(), Quantities.bytes(d.getSize()))).toList();
        return new DomainRequest(spec.getVcpus(), Quantities.bytes(spec.getMemory()), rootVolume, running,
                spec.getFirmware() == Firmware.UEFI ? DomainRequest.Firmware.UEFI : DomainRequest.Firmware.BIOS,
                cpuMode(spec.getCpuMode()),
                disks, java.util.stream.IntStream.range(0, nics.size())
                        .mapToObj(i -> NicMapper.map(ownerUid, i, nics.get(i))).toList(),
                seed(vmName, spec.getCloudInit(), nics, instanceId, secrets), vnc(spec), kernelBoot(spec.getKernelBoot()),
                runStrategy(spec) == RunStrategy.Always, ownerUid, maxima(spec.getLiveUpdate()));
    }

    /** Absent maxima keep the definition older agents wrote: any change of vcpus or memory waits for a restart. */
    private static DomainRequest.Maxima maxima(LiveUpdate live) {
        return live == null ? null : new DomainRequest.Maxima(live.getMaxVcpus(),
                live.getMaxMemory() == null ? null : Quantities.bytes(live.getMaxMemory()));
    }

    private static DomainRequest.CpuMode cpuMode(CpuMode mode) {
        return mode == null ? null : switch (mode) {
            case HOST_MODEL -> DomainRequest.CpuMode.HOST_MODEL;
            case HOST_PASSTHROUGH -> DomainRequest.CpuMode.HOST_PASSTHROUGH;
        };
    }

    private static DomainRequest.KernelBoot kernelBoot(KernelBoot boot) {
        return boot == null ? null : new DomainRequest.KernelBoot(boot.getKernel(), boot.getInitrd(), boot.getCmdline());
    }

    public static RunStrategy runStrategy(VirtualMachineSpec spec) {
        return spec.getRunStrategy() == null ? RunStrategy.Always : spec.getRunStrategy();
    }

    /** No seed without cloud-init settings and NICs: nothing to tell the guest. */
    private static CloudInitSeed seed(String vmName, CloudInit cloudInit, List<NetworkInterface> nics,
                                      String instanceId, SeedSecrets secrets) {
        if (cloudInit == null && nics.isEmpty()) {
            return null;
        }
        String fqdn = cloudInit == null ? null : cloudInit.getFqdn();
        String hostname = fqdn != null ? fqdn.split("\\.")[0] : vmName;
        boolean anyDefault = nics.stream().anyMatch(n -> Boolean.TRUE.equals(n.getDefaultRoute()));
        List<CloudInitSeed.Network> networks = new ArrayList<>();
        for (int i = 0; i < nics.size(); i++) {
            NetworkInterface nic = nics.get(i);
            boolean defaultRoute = anyDefault ? Boolean.TRUE.equals(nic.getDefaultRoute()) : i == 0;
            // The MAC travels once, on the NIC; the agent matches network i to NIC i.
            // no addresses: the agent writes dhcp4 for the NIC
            networks.add(new CloudInitSeed.Network(null, nic.getIp() == null ? List.of() : List.of(nic.getIp()), nic.getGateway(),
                    nic.getDns() == null ? List.of() : nic.getDns(), defaultRoute && nic.getGateway() != null));
        }
        List<String> keys = cloudInit == null || cloudInit.getSshAuthorizedKeys() == null ? List.of()
                : cloudInit.getSshAuthorizedKeys();
        return new CloudInitSeed(instanceId, hostname, fqdn, keys, secrets.rootPasswordHash(),
                secrets.extraUserData(), networks);
    }

    /**
     * A stable instance-id per provisioning: the same for every reconcile of one token (operator restarts included),
     * a new one when the reprovisionToken changes, so cloud-init runs again exactly then.
     */
    public static String instanceId(String uid, String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((uid + "/" + (token == null ? "" : token)).getBytes(StandardCharsets.UTF_8));
            return "i-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code spec.console.vnc}: a VNC display the agent serves only on a UNIX socket (reached through the gateway). */
    static boolean vnc(VirtualMachineSpec spec) {
        return spec.getConsole() != null && Boolean.TRUE.equals(spec.getConsole().getVnc());
    }
}
