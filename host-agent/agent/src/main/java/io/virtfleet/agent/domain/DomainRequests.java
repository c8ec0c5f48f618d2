package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.agent.contract.PciAddresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link DomainRequest} before anything on the host is touched: what is wrong is refused up front. */
final class DomainRequests {
    static final long MIN_MEMORY_BYTES = 16L << 20;
    private static final Pattern DATA_DEVICE = Pattern.compile("^" + DomainRequest.DataDisk.DEVICE + "$");
    private static final Pattern BRIDGE = Pattern.compile("^" + DomainRequest.Nic.BRIDGE + "$");
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private DomainRequests() {
    }

    /** Shape and values: 400 InvalidRequest. */
    static void validate(DomainRequest request) {
        if (request == null) {
            throw AgentException.invalid("a domain request body is required");
        }
        if (request.vcpus() < 1) {
            throw AgentException.invalid("vcpus must be at least 1, got " + request.vcpus());
        }
        if (request.memoryBytes() < MIN_MEMORY_BYTES) {
            throw AgentException.invalid("memoryBytes must be at least " + MIN_MEMORY_BYTES + ", got " + request.memoryBytes());
        }
        if (request.maxima() != null && request.maxima().vcpus() != null && request.maxima().vcpus() < request.vcpus()) {
            throw AgentException.invalid("vcpus (" + request.vcpus() + ") must not exceed maxima.vcpus ("
                    + request.maxima().vcpus() + ")");
        }
        if (request.maxima() != null && request.maxima().memoryBytes() != null
                && request.maxima().memoryBytes() < request.memoryBytes()) {
            throw AgentException.invalid("memoryBytes (" + request.memoryBytes() + ") must not exceed "
                    + "maxima.memoryBytes (" + request.maxima().memoryBytes() + ")");
        }
        if (request.rootVolume() == null || request.rootVolume().isBlank()) {
            throw AgentException.invalid("rootVolume is required");
        }
        Set<String> devices = new HashSet<>();
        for (DomainRequest.DataDisk disk : nullToEmpty(request.dataDisks())) {
            if (disk.device() == null || !DATA_DEVICE.matcher(disk.device()).matches() || !devices.add(disk.device())) {
                throw AgentException.invalid("data disk devices must be distinct names vdb..vdz, got " + disk.device());
            }
            if (disk.sizeBytes() <= 0) {
                throw AgentException.invalid("data disk " + disk.device() + " needs a positive sizeBytes");
            }
        }
        for (DomainRequest.Nic nic : nullToEmpty(request.nics())) {
            if ((nic.bridge() == null) == (nic.network() == null)) {
                throw AgentException.invalid("a nic names exactly one of bridge and network");
            }
            if (nic.bridge() != null && !BRIDGE.matcher(nic.bridge()).matches()) {
                throw AgentException.invalid("nic bridge '" + nic.bridge() + "' is not a valid interface name");
            }
            if (nic.mac() != null) {
                requireMac(nic.mac());
            }
            NicFirewallRules.validate(nic.firewall());
        }
        Set<String> addresses = new HashSet<>();
        for (String address : request.hostDevices()) {
            if (!PciAddresses.valid(address) || !addresses.add(address)) {
                throw AgentException.invalid("host devices must be distinct PCI addresses dddd:bb:ss.f (lower-case "
                        + "hex), got " + address);
            }
        }
        if (request.kernelBoot() != null && (request.kernelBoot().kernel() == null || request.kernelBoot().kernel().isBlank())) {
            throw AgentException.invalid("kernelBoot needs a kernel path");
        }
    }

    /** What the host must offer: bridges and boot files (409), checked before anything is created. */
    static void checkHost(DomainRequest request) {
        for (DomainRequest.Nic nic : nullToEmpty(request.nics())) {
            if (nic.bridge() != null && !Files.isDirectory(SYS_CLASS_NET.resolve(nic.bridge()).resolve("bridge"))) {
                throw AgentException.conflict(AgentErrorReasons.BRIDGE_NOT_FOUND,
                        "bridge " + nic.bridge() + " does not exist on this host (or is not a bridge)");
            }
        }
        DomainRequest.KernelBoot boot = request.kernelBoot();
        if (boot != null) {
            requireFile("kernel", boot.kernel());
            if (boot.initrd() != null) {
                requireFile("initrd", boot.initrd());
            }
        }
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void requireMac(String mac) {
        try {
            MacAddresses.normalize(mac);
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid(e.getMessage());
        }
    }

    private static void requireFile(String what, String path) {
        if (!Files.isRegularFile(Path.of(path))) {
            throw AgentException.conflict(AgentErrorReasons.BOOT_FILE_NOT_FOUND,
                    what + " " + path + " does not exist on this host");
        }
    }
}
