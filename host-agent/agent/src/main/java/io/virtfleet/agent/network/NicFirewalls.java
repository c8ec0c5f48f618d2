package io.virtfleet.agent.network;

import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defines the nwfilters a domain's NICs own ({@code vf-fw-<domain>-nic<i>}) before the domain is defined, and removes
 * them with the domain. Filters of the domain that are no longer wanted are removed once no running guest uses them.
 */
public final class NicFirewalls {
    private static final Logger LOG = LoggerFactory.getLogger(NicFirewalls.class);

    /** The prefix of every nwfilter the agent owns. */
    public static final String PREFIX = "vf-fw-";

    private NicFirewalls() {
    }

    /** The name of NIC {@code index}'s own filter. */
    public static String filterName(String domain, int index) {
        return domainPrefix(domain) + index;
    }

    private static String domainPrefix(String domain) {
        return PREFIX + domain + "-nic";
    }

    /** Defines (or redefines) {@code wanted} and undefines the domain's other filters that libvirt lets go. */
    public static void sync(Connect connect, String domain, List<NwfilterXml> wanted) throws LibvirtException {
        Set<String> names = new HashSet<>();
        for (NwfilterXml filter : wanted) {
            connect.networkFilterDefineXML(LibvirtXml.write(filter));
            names.add(filter.name());
        }
        for (String name : owned(connect, domain)) {
            if (!names.contains(name)) {
                undefine(connect, name);
            }
        }
    }

    /**
     * Undefines every filter the domain owns (after the domain is gone; absent is fine).
     *
     * @return false while libvirt still holds one as in use (right after a destroy it may): the caller tries again
     */
    public static boolean removeAll(Connect connect, String domain) throws LibvirtException {
        boolean all = true;
        for (String name : owned(connect, domain)) {
            all &= undefine(connect, name);
        }
        return all;
    }

    private static List<String> owned(Connect connect, String domain) throws LibvirtException {
        String prefix = domainPrefix(domain);
        String[] all;
        try {
            all = connect.listNetworkFilters();
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_SUPPORT) {
                return List.of(); // a driver without nwfilter (libvirt's test driver) holds none of ours
            }
            throw e;
        }
        // the index after the prefix keeps domain "a" from matching "a-nic-b"'s filters
        return List.of(all).stream()
                .filter(name -> name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+"))
                .toList();
    }

    /** @return false when libvirt keeps it because something uses it (a running guest, or one just destroyed) */
    private static boolean undefine(Connect connect, String name) throws LibvirtException {
        var filter = LibvirtErrors.unlessNotFound(() -> connect.networkFilterLookupByName(name));
        if (filter.isEmpty()) {
            return true;
        }
        try {
            filter.get().undefine();
            LOG.info("nwfilter={} undefined", name);
            return true;
        } catch (LibvirtException e) {
            if (e.getError() == null || e.getError().getCode() != ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                throw e;
            }
            // in use: the next definition or the next DELETE of the domain removes it
            LOG.info("nwfilter={} kept while in use: {}", name, e.getMessage());
            return false;
        }
    }

}
