package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.ScaledInteger;
import io.virtfleet.agent.storage.VolumeInfo;
import java.util.List;
import java.util.UUID;

/** Turns a domain request and what the agent resolved for it into the domain definition. */
public final class DomainXmlConverter {
    private static final long KIB = 1024;

    private DomainXmlConverter() {
    }

    /**
     * @param domainType libvirt domain type chosen for this host ({@code kvm} or {@code qemu})
     * @param uuid       the domain's UUID; an existing domain keeps its own
     * @param rootVolume the Ready root volume
     */
    public static DomainXml convert(String name, UUID uuid, DomainRequest request, String domainType, VolumeInfo rootVolume) {
        DomainXml.Disk root = new DomainXml.Disk("volume", "disk",
                new DomainXml.Driver("qemu", "raw"),
                new DomainXml.DiskSource(rootVolume.pool(), rootVolume.name()),
                new DomainXml.DiskTarget("vda", "virtio"));
        return new DomainXml(
                domainType,
                name,
                uuid.toString(),
                ScaledInteger.kibibytes(Math.ceilDiv(request.memoryBytes(), KIB)),
                request.vcpus(),
                new DomainXml.Os(new DomainXml.OsType("x86_64", "q35", "hvm"), new DomainXml.Boot("hd")),
                new DomainXml.Features(new DomainXml.Flag(), new DomainXml.Flag()),
                "destroy",
                "restart",
                "destroy",
                new DomainXml.Devices(List.of(root),
                        new DomainXml.CharDevice("pty", new DomainXml.CharTarget(null, 0)),
                        new DomainXml.CharDevice("pty", new DomainXml.CharTarget("serial", 0))));
    }
}
