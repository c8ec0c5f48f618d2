package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.network.NetworkService;
import io.virtfleet.agent.network.NicFirewalls;
import io.virtfleet.agent.network.NwfilterXml;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** What a domain's NICs need in libvirt before the domain is defined: their networks running, their filters defined. */
final class NicNetworks {
    private NicNetworks() {
    }

    /** Refuses a NIC on a network this host has not realised (409 NetworkNotFound) before anything is created. */
    static void requireReady(Connect connect, String domain, DomainRequest request) throws LibvirtException {
        for (DomainRequest.Nic nic : DomainRequests.nullToEmpty(request.nics())) {
            if (nic.network() != null) {
                NetworkService.requireActive(connect, nic.network());
            }
        }
    }

    /** Defines the NICs' own filters (those with rules) and drops the domain's filters no NIC wants any more. */
    static void defineFilters(Connect connect, String domain, DomainRequest request) throws LibvirtException {
        List<DomainRequest.Nic> nics = DomainRequests.nullToEmpty(request.nics());
        List<NwfilterXml> filters = new ArrayList<>();
        for (int i = 0; i < nics.size(); i++) {
            NwfilterXml filter = NicFilters.definition(domain, i, nics.get(i).firewall());
            if (filter != null) {
                filters.add(filter);
            }
        }
        NicFirewalls.sync(connect, domain, filters);
    }
}
