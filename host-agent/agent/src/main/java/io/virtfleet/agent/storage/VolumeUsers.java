package io.virtfleet.agent.storage;

import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/** Finds the defined domains (running or not) whose disks use a volume, so that it is not deleted under them. */
final class VolumeUsers {
    private final LibvirtConnection libvirt;

    VolumeUsers(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    List<String> domainsUsing(VolumeInfo volume) {
        return libvirt.call("list domains using " + volume.pool() + "/" + volume.name(), connect -> {
            List<String> users = new ArrayList<>();
            for (Domain domain : connect.listAllDomains(0)) {
                try {
                    if (usesVolume(domain.getXMLDesc(0), volume)) {
                        users.add(domain.getName());
                    }
                } catch (LibvirtException e) {
                    if (!LibvirtErrors.isNotFound(e)) { // undefined while we looked: not a user any more
                        throw e;
                    }
                }
            }
            return users;
        });
    }

    /** A disk refers to a volume by pool and volume name ({@code type='volume'}) or by its path (file or block). */
    static boolean usesVolume(String domainXml, VolumeInfo volume) {
        for (Map<String, String> source : LibvirtXml.parse(domainXml).attributes("/domain/devices/disk/source")) {
            boolean byName = volume.pool().equals(source.get("pool")) && volume.name().equals(source.get("volume"));
            boolean byPath = volume.path().equals(source.get("file")) || volume.path().equals(source.get("dev"));
            if (byName || byPath) {
                return true;
            }
        }
        return false;
    }
}
