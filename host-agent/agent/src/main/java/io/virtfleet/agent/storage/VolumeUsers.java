package io.virtfleet.agent.storage;

import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/** Finds the defined domains (running or not) whose disks use a volume, so that it is not deleted under them. */
final class VolumeUsers {
    /** virConnectListAllDomainsFlags VIR_CONNECT_LIST_DOMAINS_ACTIVE. */
    private static final int LIST_ACTIVE = 1;

    private final LibvirtConnection libvirt;

    VolumeUsers(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    /** Defined domains, running or not, whose disks use the volume. */
    List<String> domainsUsing(VolumeInfo volume) {
        return users(volume, 0);
    }

    /** Running (or paused) domains whose disks use the volume. */
    List<String> runningDomainsUsing(VolumeInfo volume) {
        return users(volume, LIST_ACTIVE);
    }

    /**
     * Runs {@code action} (a copy of the volume) with the running domains that use the volume paused, so that the copy
     * is one point in time (crash-consistent) rather than blocks read while the guest writes; resumes them afterwards,
     * also when the action fails.
     */
    <T> T whilePaused(VolumeInfo volume, Supplier<T> action) {
        List<String> paused = libvirt.call("pause domains using " + volume.name(), connect -> {
            List<String> names = new ArrayList<>();
            for (String name : runningDomainsUsing(volume)) {
                Domain domain = connect.domainLookupByName(name);
                if (domain.getInfo().state == DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
                    domain.suspend();
                    names.add(name);
                }
            }
            return names;
        });
        try {
            return action.get();
        } finally {
            libvirt.call("resume domains using " + volume.name(), connect -> {
                for (String name : paused) {
                    connect.domainLookupByName(name).resume();
                }
                return null;
            });
        }
    }

    private List<String> users(VolumeInfo volume, int listFlags) {
        return libvirt.call("list domains using " + volume.pool() + "/" + volume.name(), connect -> {
            List<String> users = new ArrayList<>();
            for (Domain domain : connect.listAllDomains(listFlags)) {
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
