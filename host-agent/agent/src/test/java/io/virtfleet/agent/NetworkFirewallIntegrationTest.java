package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.contract.NetworkRequest.ForwardMode;
import io.virtfleet.agent.contract.NetworkStatus;
import io.virtfleet.agent.contract.NicFirewall;
import io.virtfleet.agent.contract.ObservedAddress;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Networks and NIC firewalls on the real libvirtd through the agent's HTTP API: an isolated network with a DHCP range
 * defined and active (as {@code virsh net-dumpxml} shows it), a running domain with one NIC on that network and one on
 * a host bridge whose interfaces reference their filters in the live definition, the NIC's own nwfilter accepted by
 * libvirt and removed with the domain; a booted guest's real DHCP lease from that network, as the agent reports it;
 * and every refusal of the platform's allow-lists and of injected values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkFirewallIntegrationTest {
    private AgentHarness harness;
    private AgentClient client;
    private TestBridge hostBridge;
    private String network;
    private String networkBridge;
    private String subnet;
    private TestGuest dhcpGuest;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        hostBridge = TestBridge.create();
        networkBridge = "vfn" + UUID.randomUUID().toString().substring(0, 8);
        // a /28 of a documentation range, picked at random so parallel runs on one host do not overlap
        subnet = "203.0.113." + 16 * ThreadLocalRandom.current().nextInt(16);
        dhcpGuest = TestGuests.buildDhcp(dir.resolve("guest"));
        harness = AgentHarness.start(dir, config -> config.allowedBridges(hostBridge.name(), networkBridge)
                .allowedNetworks(Set.of(ForwardMode.ISOLATED, ForwardMode.BRIDGE), "vftest-*")
                .kernelBootDirs(dir.resolve("guest")));
        client = harness.client();
        network = harness.sandbox().name("net");
    }

    @AfterAll
    void stop() throws Exception {
        // the agent (and its sandbox: domains, networks, filters) goes first, then the bridge; null is skipped
        try (TestBridge bridge = hostBridge; AgentHarness agent = harness) {
            // closed in reverse order when the block ends
        }
    }

    @Test
    void aNetworkIsDefinedAndActiveWithItsDhcpRangeAndAHostBridgeNicAndANetworkNicRunFiltered() throws Exception {
        NetworkStatus status = client.networks().put(network, isolated()).as(NetworkStatus.class);
        assertThat(status.active()).isTrue();
        assertThat(status.bridge()).isEqualTo(networkBridge);
        Connect connect = harness.sandbox().connect();
        LibvirtXml.Parsed net = LibvirtXml.parse(connect.networkLookupByName("vf-net-" + network).getXMLDesc(0));
        assertThat(net.value("/network/ip/@address")).contains(host(1));
        assertThat(net.value("/network/ip/@prefix")).contains("28");
        assertThat(net.value("/network/ip/dhcp/range/@start")).contains(host(4));
        assertThat(net.value("/network/ip/dhcp/range/@end")).contains(host(12));
        assertThat(net.value("/network/forward/@mode")).isEmpty();
        assertThat(net.value("/network/dns/@enable")).contains("no");
        assertThat(connect.networkLookupByName("vf-net-" + network).getAutostart()).isTrue();
        // the same request again changes nothing: not restarted (its bridge would be a new device), guests keep their link
        Path ifindex = Path.of("/sys/class/net", networkBridge, "ifindex");
        String bridgeDevice = java.nio.file.Files.readString(ifindex);
        assertThat(client.networks().put(network, isolated()).status()).isEqualTo(200);
        assertThat(java.nio.file.Files.readString(ifindex)).isEqualTo(bridgeDevice);

        String root = harness.sandbox().name("two-nics-root");
        harness.provision(root, "t");
        String domain = harness.sandbox().name("two-nics");
        NicFirewall sshFromDocs = new NicFirewall(false, List.of(new NicFirewall.Rule(NicFirewall.Direction.IN,
                NicFirewall.Protocol.TCP, 22, null, List.of("198.51.100.0/24"), NicFirewall.Action.ACCEPT, 500)));
        CloudInitSeed seed = new CloudInitSeed(null, "two-nics", null, List.of(), null, null, List.of(
                new CloudInitSeed.Network(null, List.of(), null, List.of(), false),
                new CloudInitSeed.Network(null, List.of("198.51.100.10/24"), "198.51.100.1", List.of(), true)));
        DomainRequest request = new DomainRequest(1, 64L << 20, root, true, null, null, List.of(), List.of(
                new DomainRequest.Nic(null, network, "52:54:00:aa:00:01", sshFromDocs),
                new DomainRequest.Nic(hostBridge.name(), null)), seed, false, null, false);
        AgentClient.Response started = client.domains().put(domain, request);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        DomainStatus running = started.as(DomainStatus.class);
        assertThat(running.phase()).isEqualTo(DomainPhase.Running);

        LibvirtXml.Parsed live = LibvirtXml.parse(connect.domainLookupByName(domain).getXMLDesc(0));
        assertThat(live.value("/domain/devices/interface[1]/@type")).contains("network");
        assertThat(live.value("/domain/devices/interface[1]/source/@network")).contains("vf-net-" + network);
        assertThat(live.value("/domain/devices/interface[1]/filterref/@filter")).contains("vf-fw-" + domain + "-nic0");
        assertThat(live.attributes("/domain/devices/interface[1]/filterref/parameter"))
                .contains(Map.of("name", "CTRL_IP_LEARNING", "value", "dhcp"));
        assertThat(live.value("/domain/devices/interface[2]/source/@bridge")).contains(hostBridge.name());
        assertThat(live.value("/domain/devices/interface[2]/filterref/@filter")).contains("clean-traffic");
        assertThat(live.attributes("/domain/devices/interface[2]/filterref/parameter"))
                .contains(Map.of("name", "IP", "value", "198.51.100.10"));
        String bridgeMac = live.values("/domain/devices/interface/mac/@address").get(1);
        assertThat(running.addresses()).contains(new ObservedAddress(bridgeMac, "198.51.100.10",
                ObservedAddress.Source.STATIC));

        // the NIC's own filter, as `virsh nwfilter-dumpxml` shows it: clean-traffic first, then the rule
        LibvirtXml.Parsed filter = LibvirtXml.parse(
                connect.networkFilterLookupByName("vf-fw-" + domain + "-nic0").getXMLDesc());
        assertThat(filter.value("/filter/filterref/@filter")).contains("clean-traffic");
        assertThat(filter.attributes("/filter/rule")).containsExactly(
                Map.of("action", "accept", "direction", "in", "priority", "500"));
        assertThat(filter.attributes("/filter/rule/tcp")).containsExactly(Map.of("srcipaddr", "198.51.100.0",
                "srcipmask", "24", "dstportstart", "22", "dstportend", "22"));

        AgentClient.Response deleted = client.domains().deleteUntilGone(domain);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(List.of(connect.listNetworkFilters())).noneMatch(name -> name.startsWith("vf-fw-" + domain));
        assertThat(client.networks().delete(network).status()).isEqualTo(204);
        assertThat(client.networks().get(network).status()).isEqualTo(404);
    }

    /**
     * A real DHCP exchange: the guest's udhcpc asks libvirt's dnsmasq on the network, through the NIC's clean-traffic
     * filter (IP learning by DHCP), and the agent reports the lease libvirt holds, next to the bridge NIC's static
     * address.
     */
    @Test
    void aGuestOnTheNetworkGetsALeaseFromItsRangeAndTheAgentReportsIt() throws Exception {
        assertThat(client.networks().put(network, isolated()).as(NetworkStatus.class).active()).isTrue();
        String root = harness.sandbox().name("dhcp-root");
        harness.provision(root, "t");
        String domain = harness.sandbox().name("dhcp");
        String networkMac = "52:54:00:aa:00:02";
        CloudInitSeed seed = new CloudInitSeed(null, "dhcp", null, List.of(), null, null, List.of(
                new CloudInitSeed.Network(null, List.of(), null, List.of(), false),
                new CloudInitSeed.Network(null, List.of("198.51.100.11/24"), "198.51.100.1", List.of(), true)));
        DomainRequest request = new DomainRequest(1, 256L << 20, root, true, DomainRequest.Firmware.BIOS, null,
                List.of(), List.of(new DomainRequest.Nic(null, network, networkMac, null),
                new DomainRequest.Nic(hostBridge.name(), null)), seed, false,
                new DomainRequest.KernelBoot(dhcpGuest.kernel().toString(), dhcpGuest.initrd().toString(),
                        dhcpGuest.cmdline()), false);
        AgentClient.Response started = client.domains().put(domain, request);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        Path console = harness.config().stateDir().resolve("consoles").resolve(domain + ".log");

        String consoleLog = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "",
                        log -> log.contains(TestGuest.DHCP_DONE));
        List<String> leases = consoleLog.lines().filter(line -> line.startsWith(TestGuest.DHCP_LEASE))
                .map(line -> line.substring(TestGuest.DHCP_LEASE.length()).strip()).toList();
        assertThat(leases).as(consoleLog).hasSize(1); // the host bridge has no DHCP server
        String leased = leases.get(0).split(" ")[1];
        assertThat(IntStream.rangeClosed(4, 12).mapToObj(this::host)).as("the network's DHCP range").contains(leased);

        DomainStatus observed = await().atMost(Duration.ofSeconds(30))
                .until(() -> client.domains().status(domain, DomainStatus.class),
                        status -> status.addresses().stream().anyMatch(a -> a.source() == ObservedAddress.Source.DHCP_LEASE));
        assertThat(observed.addresses()).contains(new ObservedAddress(networkMac, leased,
                ObservedAddress.Source.DHCP_LEASE));
        assertThat(observed.addresses()).anyMatch(a -> a.ip().equals("198.51.100.11")
                && a.source() == ObservedAddress.Source.STATIC);

        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(client.volumes().delete(root).status()).isEqualTo(204);
        assertThat(client.networks().delete(network).status()).isEqualTo(204);
    }

    @Test
    void networksAndNicsOutsideTheAllowListsAreRefused() throws Exception {
        refusedNetwork("other-net", isolated(), 409, AgentErrorReasons.NETWORK_NOT_ALLOWED);
        refusedNetwork(harness.sandbox().name("nat"), new NetworkRequest(ForwardMode.NAT, networkBridge, host(1), 28,
                null, false, false), 409, AgentErrorReasons.FORWARD_MODE_NOT_ALLOWED);
        // a bridge-mode network onto a host bridge the platform did not list (the default libvirt bridge here)
        refusedNetwork(harness.sandbox().name("bridged"), new NetworkRequest(ForwardMode.BRIDGE, "virbr0", null, null,
                null, false, false), 409, AgentErrorReasons.BRIDGE_NOT_ALLOWED);
        String root = harness.sandbox().name("refused-root");
        harness.provision(root, "t");
        refusedNic(root, new DomainRequest.Nic(null, "other-net", null, null), AgentErrorReasons.NETWORK_NOT_ALLOWED);
        refusedNic(root, new DomainRequest.Nic(null, harness.sandbox().name("never-put"), null, null),
                AgentErrorReasons.NETWORK_NOT_FOUND);
        refusedNic(root, new DomainRequest.Nic(hostBridge.name(), null, null, new NicFirewall(true, List.of())),
                AgentErrorReasons.FIREWALL_OPT_OUT_NOT_ALLOWED);
        assertThat(List.of(harness.sandbox().connect().listNetworks())).noneMatch(n -> n.contains("other-net"));
    }

    @Test
    void injectedNamesAndValuesAreRefusedBeforeLibvirtSeesThem() throws Exception {
        refusedNetwork("x'--forward", isolated(), 400, AgentErrorReasons.INVALID_REQUEST);
        refusedNetwork(harness.sandbox().name("inject"), new NetworkRequest(ForwardMode.ISOLATED,
                "br0'/><x a='", host(1), 28, null, false, false), 400, AgentErrorReasons.INVALID_REQUEST);
        refusedNetwork(harness.sandbox().name("inject"), new NetworkRequest(ForwardMode.ISOLATED, networkBridge,
                host(1) + "'/><dhcp", 28, null, false, false), 400, AgentErrorReasons.INVALID_REQUEST);
        refusedNetwork(harness.sandbox().name("range"), new NetworkRequest(ForwardMode.ISOLATED, networkBridge,
                host(1), 28, new NetworkRequest.DhcpRange("192.0.2.10", "192.0.2.20"), false, false), 400,
                AgentErrorReasons.INVALID_REQUEST);
        String root = harness.sandbox().name("inject-root");
        harness.provision(root, "t");
        refusedNic(root, new DomainRequest.Nic(null, "n'/><filterref filter='x", null, null),
                AgentErrorReasons.INVALID_REQUEST);
        refusedNic(root, new DomainRequest.Nic(hostBridge.name(), null, null, rule(-900, "198.51.100.0/24")),
                AgentErrorReasons.INVALID_REQUEST);
        refusedNic(root, new DomainRequest.Nic(hostBridge.name(), null, null, rule(500, "1.2.3.4/24' x='")),
                AgentErrorReasons.INVALID_REQUEST);
    }

    private static NicFirewall rule(int priority, String cidr) {
        return new NicFirewall(false, List.of(new NicFirewall.Rule(NicFirewall.Direction.IN, NicFirewall.Protocol.ALL,
                null, null, List.of(cidr), NicFirewall.Action.ACCEPT, priority)));
    }

    private NetworkRequest isolated() {
        return new NetworkRequest(ForwardMode.ISOLATED, networkBridge, host(1), 28,
                new NetworkRequest.DhcpRange(host(4), host(12)), false, true);
    }

    private String host(int offset) {
        String[] octets = subnet.split("\\.");
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + offset);
    }

    private void refusedNetwork(String name, NetworkRequest request, int status, String reason) {
        AgentClient.Response refused = client.networks().put(name, request);
        assertThat(refused.status()).as(refused.body()).isEqualTo(status);
        assertThat(refused.error().reason()).isEqualTo(reason);
    }

    private void refusedNic(String root, DomainRequest.Nic nic, String reason) throws Exception {
        String domain = harness.sandbox().name("refused");
        AgentClient.Response refused = client.domains().put(domain, new DomainRequest(1, 64L << 20, root, true, null,
                null, List.of(), List.of(nic), null, false, null, false));
        assertThat(refused.status()).as(refused.body()).isIn(400, 409);
        assertThat(refused.error().reason()).isEqualTo(reason);
        assertThat(List.of(harness.sandbox().connect().listDefinedDomains())).doesNotContain(domain);
    }
}
