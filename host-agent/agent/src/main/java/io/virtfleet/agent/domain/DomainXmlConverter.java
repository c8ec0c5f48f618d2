package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.PciAddresses;
import io.virtfleet.agent.libvirt.ScaledInteger;
import io.virtfleet.agent.storage.VolumeInfo;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link DomainPlan} into the domain definition: q35, virtio disks and NICs, serial console and
 * optional VNC on UNIX sockets ({@link ConsoleFiles}). */
public final class DomainXmlConverter {
    private static final long KIB = 1024;
    /** The seed cdrom sits on SATA: every guest kernel has AHCI, and it keeps vda.. free for virtio disks. */
    private static final String SEED_DEVICE = "sda";

    private DomainXmlConverter() {
    }

    public static DomainXml convert(DomainPlan plan) {
        DomainRequest request = plan.request();
        boolean resizable = request.maxima() != null;
        return new DomainXml(
                plan.domainType(),
                plan.name(),
                plan.uuid().toString(),
                null,
                kibibytes(request.maxMemoryBytesOrRequested()),
                resizable ? kibibytes(request.memoryBytes()) : null,
                new DomainXml.Vcpu(resizable ? request.vcpus() : null, request.maxVcpusOrRequested()),
                os(plan),
                new DomainXml.Features(new DomainXml.Flag(), new DomainXml.Flag()),
                request.cpuMode() == null ? null : new DomainXml.Cpu(request.cpuMode().wireName()),
                "destroy",
                "restart",
                "destroy",
                new DomainXml.Devices(disks(plan), interfaces(plan), hostdevs(request), serial(plan.consoles()),
                        new DomainXml.Console("unix", serialSource(plan.consoles()), new DomainXml.CharTarget("serial", 0)),
                        request.vnc() ? new DomainXml.Graphics("vnc", plan.consoles().vncSocket().toString()) : null,
                        resizable ? new DomainXml.Memballoon("virtio") : null));
    }

    /** libvirt's memory unit, rounded up to whole KiB. */
    static ScaledInteger kibibytes(long bytes) {
        return ScaledInteger.kibibytes(Math.ceilDiv(bytes, KIB));
    }

    private static DomainXml.Serial serial(ConsoleFiles consoles) {
        return new DomainXml.Serial("unix", serialSource(consoles),
                new DomainXml.Log(consoles.log().toString(), "off"), new DomainXml.CharTarget(null, 0));
    }

    private static DomainXml.CharSource serialSource(ConsoleFiles consoles) {
        return new DomainXml.CharSource("bind", consoles.serialSocket().toString());
    }

    private static DomainXml.Os os(DomainPlan plan) {
        DomainXml.OsType type = new DomainXml.OsType("x86_64", "q35", "hvm");
        DomainXml.Loader loader = plan.uefi() == null ? null : new DomainXml.Loader("yes", "pflash", plan.uefi().code());
        DomainXml.Nvram nvram = plan.uefi() == null ? null : new DomainXml.Nvram(plan.uefi().nvramTemplate());
        DomainRequest.KernelBoot kernel = plan.request().kernelBoot();
        if (kernel != null) {
            return new DomainXml.Os(type, loader, nvram, kernel.kernel(), kernel.initrd(), kernel.cmdline(), null);
        }
        return new DomainXml.Os(type, loader, nvram, null, null, null, new DomainXml.Boot("hd"));
    }

    private static List<DomainXml.Disk> disks(DomainPlan plan) {
        List<DomainXml.Disk> disks = new ArrayList<>();
        disks.add(rootDisk(plan.rootVolume()));
        for (DomainPlan.DataDiskVolume data : plan.dataDisks()) {
            disks.add(volumeDisk(data.volume().pool(), data.volume().name(), data.device()));
        }
        if (plan.seedIso() != null) {
            disks.add(new DomainXml.Disk("file", "cdrom", new DomainXml.Driver("qemu", "raw", null),
                    DomainXml.DiskSource.file(plan.seedIso().toString()),
                    new DomainXml.DiskTarget(SEED_DEVICE, "sata"), new DomainXml.Flag()));
        }
        return disks;
    }

    /** A raw volume, or a qcow2 overlay with its one backing file (a cache entry) and that file's format. */
    private static DomainXml.Disk rootDisk(VolumeInfo root) {
        if (root.backing() == null) {
            return volumeDisk(root.pool(), root.name(), "vda");
        }
        return new DomainXml.Disk("volume", "disk", new DomainXml.Driver("qemu", "qcow2", null),
                DomainXml.DiskSource.volume(root.pool(), root.name()),
                DomainXml.BackingStore.lastFile(root.backing().path(), root.backing().format()),
                new DomainXml.DiskTarget("vda", "virtio"), null);
    }

    private static DomainXml.Disk volumeDisk(String pool, String volume, String device) {
        return new DomainXml.Disk("volume", "disk", new DomainXml.Driver("qemu", "raw", null),
                DomainXml.DiskSource.volume(pool, volume), new DomainXml.DiskTarget(device, "virtio"), null);
    }

    /** Host PCI devices, in request order; none leaves the element out. */
    private static List<DomainXml.Hostdev> hostdevs(DomainRequest request) {
        return request.hostDevices().isEmpty() ? null : request.hostDevices().stream()
                .map(address -> DomainXml.Hostdev.managedPci(PciAddresses.parts(address))).toList();
    }

    private static List<DomainXml.Interface> interfaces(DomainPlan plan) {
        return plan.nics().stream()
                .map(nic -> new DomainXml.Interface(nic.network() == null ? "bridge" : "network",
                        nic.mac() == null ? null : new DomainXml.Mac(nic.mac()),
                        new DomainXml.InterfaceSource(nic.network() == null ? nic.bridge() : null, nic.network()),
                        new DomainXml.Model("virtio"), nic.filter()))
                .toList();
    }
}
