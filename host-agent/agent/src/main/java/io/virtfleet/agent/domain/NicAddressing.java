package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cloudinit.CloudInitDocuments;
import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.agent.network.NetworkService;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives NIC i and cloud-init network i one MAC: the NIC's own, else the network's, else {@code be:ef:} + the octets
 * of the network's first IPv4 address. So the guest's network-config always matches the NIC it describes. The NIC's
 * traffic filter takes its addresses from the same network ({@link NicFilters}).
 */
final class NicAddressing {
    private NicAddressing() {
    }

    static List<DomainPlan.Nic> nics(String domain, DomainRequest request) {
        List<CloudInitSeed.Network> networks = networks(request);
        List<DomainRequest.Nic> nics = DomainRequests.nullToEmpty(request.nics());
        List<DomainPlan.Nic> resolved = new ArrayList<>();
        for (int i = 0; i < nics.size(); i++) {
            String mac = nics.get(i).mac() != null ? MacAddresses.normalize(nics.get(i).mac())
                    : i < networks.size() ? macOf(networks.get(i)) : null;
            DomainRequest.Nic nic = nics.get(i);
            String network = nic.network() == null ? null : NetworkService.libvirtName(nic.network());
            resolved.add(new DomainPlan.Nic(nic.bridge(), network, mac, NicFilters.binding(domain, i, nic.firewall(),
                    network != null, i < networks.size() ? networks.get(i) : null)));
        }
        return resolved;
    }

    /** The request's seed with every network's MAC filled in from the NIC it belongs to. */
    static CloudInitSeed seed(DomainRequest request, List<DomainPlan.Nic> nics) {
        CloudInitSeed seed = request.cloudInit();
        List<CloudInitSeed.Network> networks = new ArrayList<>();
        List<CloudInitSeed.Network> requested = networks(request);
        for (int i = 0; i < requested.size(); i++) {
            CloudInitSeed.Network network = requested.get(i);
            String mac = i < nics.size() && nics.get(i).mac() != null ? nics.get(i).mac() : macOf(network);
            networks.add(new CloudInitSeed.Network(mac, network.addresses(), network.gateway(), network.dns(),
                    network.defaultRoute()));
        }
        return new CloudInitSeed(seed.instanceId(), seed.hostname(), seed.fqdn(), seed.sshAuthorizedKeys(),
                seed.rootPasswordHash(), seed.extraUserData(), networks);
    }

    private static String macOf(CloudInitSeed.Network network) {
        try {
            return CloudInitDocuments.macOf(network);
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid("cloud-init network: " + e.getMessage());
        }
    }

    private static List<CloudInitSeed.Network> networks(DomainRequest request) {
        return request.cloudInit() == null ? List.of() : DomainRequests.nullToEmpty(request.cloudInit().networks());
    }
}
