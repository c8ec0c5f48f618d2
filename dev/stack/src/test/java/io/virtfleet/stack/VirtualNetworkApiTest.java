package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.NetworkStatus;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.NicFirewall;
import io.virtfleet.crds.v1alpha1.ObservedInterface;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualNetwork;
import io.virtfleet.crds.v1alpha1.VirtualNetworkSpec;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.operator.status.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The VirtualNetwork reconciler and the network side of VirtualMachines on the mock API with the stack's agent (its
 * domains and networks on libvirt's test driver): a network realised on the selected node with a status per node, a
 * forward mode the agent refuses reported with its reason, the finalizer removing it from the node; VMs joining a
 * network only where a TenantPolicy allows, anti-spoofing off only where allowed, observed addresses in status.
 */
class VirtualNetworkApiTest extends ReconcilerApiTests {

    @Test
    void aNetworkIsRealisedOnTheSelectedNodeAndRemovedFromItOnDelete() throws Exception {
        VirtualNetwork network = client.resource(network("api-net", VirtualNetworkSpec.ForwardMode.isolated)).create();

        VirtualNetwork ready = awaitStatus(network, n -> "True".equals(ready(n).getStatus()));

        assertThat(ready.getStatus().getNodes()).singleElement().satisfies(node -> {
            assertThat(node.getNodeName()).isEqualTo(LocalStack.NODE_NAME);
            assertThat(node.getActive()).isTrue();
        });
        Optional<NetworkStatus> onNode = stack.agent().getNetwork(network.getMetadata().getName());
        assertThat(onNode).hasValueSatisfying(n -> assertThat(n.active()).isTrue());

        client.resource(ready).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(ready).get() == null);
        assertThat(stack.agent().getNetwork(network.getMetadata().getName())).isEmpty();
    }

    @Test
    void aForwardModeTheAgentDoesNotAllowIsReportedPerNode() {
        VirtualNetwork network = client.resource(network("api-nat", VirtualNetworkSpec.ForwardMode.nat)).create();

        VirtualNetwork refused = awaitStatus(network, n -> n.getStatus().getNodes() != null
                && !n.getStatus().getNodes().isEmpty());

        assertThat(ready(refused).getStatus()).isEqualTo("False");
        assertThat(refused.getStatus().getNodes()).singleElement().satisfies(node -> {
            assertThat(node.getActive()).isFalse();
            assertThat(node.getReason()).isEqualTo(AgentErrorReasons.FORWARD_MODE_NOT_ALLOWED);
        });
        client.resource(refused).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(refused).get() == null);
    }

    @Test
    void aNicOnANetworkNoPolicyAllowsIsRefusedBeforePlacement() {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-net-refused",
                SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setNetworkInterfaces(List.of(dhcpNic(LocalStack.NETWORK_PREFIX + "not-listed")));

        VirtualMachine refused = awaitStatus(client.resource(vm).create(), v -> v.getStatus().getPhase() == VirtualMachinePhase.Failed);

        assertThat(ready(refused).getReason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED);
        assertThat(refused.getStatus().getNodeName()).as("refused before placement").isNull();
        client.resource(refused).delete();
    }

    @Test
    void antiSpoofingOffIsRefusedWithoutAPolicyThatAllowsIt() {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-optout",
                SampleObjects.volumeSpec("64Mi"), null);
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge("vfbr-any");
        nic.setIp("192.0.2.20/24");
        NicFirewall firewall = new NicFirewall();
        firewall.setAntiSpoofing(false);
        nic.setFirewall(firewall);
        vm.getSpec().setNetworkInterfaces(List.of(nic));
        TenantPolicy bridges = allow("api-net-", spec -> spec.setBridges(List.of("vfbr-any")));
        try {
            VirtualMachine refused = awaitStatus(client.resource(vm).create(), v -> v.getStatus().getPhase() == VirtualMachinePhase.Failed);
            assertThat(ready(refused).getReason()).isEqualTo(Reason.FIREWALL_OPT_OUT_NOT_ALLOWED);
            client.resource(refused).delete();
        } finally {
            client.resource(bridges).delete();
        }
    }

    @Test
    void aVmOnAnAllowedNetworkRunsWithTwoNicsAndReportsWhatLibvirtHolds() {
        VirtualNetwork network = client.resource(network("api-joined", VirtualNetworkSpec.ForwardMode.isolated)).create();
        awaitStatus(network, n -> "True".equals(ready(n).getStatus()));
        TestBridge bridge = TestBridge.create();
        TenantPolicy policy = allow("api-net-", spec -> {
            spec.setNetworks(List.of(LocalStack.NETWORK_PREFIX + "*"));
            spec.setBridges(List.of(bridge.name()));
        });
        try {
            VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-two-nics",
                    SampleObjects.volumeSpec("64Mi"), null);
            NetworkInterface bridged = new NetworkInterface();
            bridged.setBridge(bridge.name());
            bridged.setIp("198.51.100.30/24");
            bridged.setGateway("198.51.100.1");
            bridged.setDefaultRoute(true);
            vm.getSpec().setNetworkInterfaces(List.of(dhcpNic(network.getMetadata().getName()), bridged));

            VirtualMachine running = awaitStatus(client.resource(vm).create(),
                    v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

            // the bridged NIC's address as its anti-spoofing filter holds it; the network NIC's lease as libvirt
            // answers for it (here libvirt's test driver, which hands out the network's DHCP range; no guest runs)
            List<String> macs = running.getStatus().getMacAddresses();
            assertThat(macs).hasSize(2);
            assertThat(running.getStatus().getInterfaces())
                    .extracting(ObservedInterface::getMac, ObservedInterface::getIp, ObservedInterface::getSource)
                    .containsExactlyInAnyOrder(tuple(macs.get(1), "198.51.100.30", "static"),
                            tuple(macs.get(0), "192.0.2.101", "dhcp-lease"));
            assertThat(running.getStatus().getIpAddresses()).containsExactly("192.0.2.101", "198.51.100.30");
            client.resource(running).delete();
            await().atMost(TIMEOUT).until(() -> client.resource(running).get() == null);
        } finally {
            client.resource(policy).delete();
            client.resource(network).delete();
            bridge.close();
        }
    }

    private static NetworkInterface dhcpNic(String network) {
        NetworkInterface nic = new NetworkInterface();
        nic.setNetwork(network);
        nic.setAddressing(NetworkInterface.Addressing.DHCP);
        return nic;
    }

    private static VirtualNetwork network(String suffix, VirtualNetworkSpec.ForwardMode mode) {
        VirtualNetworkSpec spec = new VirtualNetworkSpec();
        spec.setForwardMode(mode);
        spec.setBridge(LocalStack.NETWORK_BRIDGE_PREFIX + UUID.randomUUID().toString().substring(0, 8));
        spec.setIpv4("192.0.2.1/24");
        VirtualNetworkSpec.DhcpRange range = new VirtualNetworkSpec.DhcpRange();
        range.setStart("192.0.2.100");
        range.setEnd("192.0.2.150");
        spec.setDhcp(range);
        VirtualNetwork network = new VirtualNetwork();
        network.getMetadata().setName(LocalStack.NETWORK_PREFIX + suffix + "-" + UUID.randomUUID().toString().substring(0, 4));
        network.setSpec(spec);
        return network;
    }
}
