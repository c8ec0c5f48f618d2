package io.virtfleet.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The schema and CEL rules of VirtualNetwork and of the network fields of VirtualMachine and TenantPolicy, evaluated as
 * the API server would (CEL evaluator on the committed CRDs): valid objects pass, each broken one is refused by its rule.
 */
class NetworkCrdRulesTest {
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator NET = CrdSchemaValidator.forCommittedCrd("virtualnetworks.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator POLICY = CrdSchemaValidator.forCommittedCrd("tenantpolicies.virtfleet.io-v1.yml");

    private static final String VALID_VM = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachine
            metadata: {name: web01}
            spec:
              vcpus: 1
              memory: 1Gi
              rootVolume: {name: web01-root}
              networkInterfaces:
              - network: tenant-a
                addressing: DHCP
                firewall:
                  rules:
                  - {direction: in, protocol: tcp, portStart: 22, cidrs: [198.51.100.0/24], action: accept, priority: 100}
              - {bridge: br0, ip: 10.0.0.5/24, gateway: 10.0.0.1, defaultRoute: true}
            """;

    private static final String VALID_NETWORK = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualNetwork
            metadata: {name: tenant-a}
            spec:
              forwardMode: isolated
              bridge: vfnet-a
              ipv4: 192.0.2.1/24
              dhcp: {start: 192.0.2.100, end: 192.0.2.200}
              nodeSelector: {virtfleet.io/hypervisor: "true"}
            """;

    @Test
    void validObjectsPass() {
        assertThat(VM.violations(VALID_VM)).isEmpty();
        assertThat(NET.violations(VALID_NETWORK)).isEmpty();
        assertThat(NET.violations("""
                apiVersion: virtfleet.io/v1alpha1
                kind: VirtualNetwork
                metadata: {name: lan}
                spec: {forwardMode: bridge, bridge: br0}
                """)).isEmpty();
        assertThat(POLICY.violations("""
                apiVersion: virtfleet.io/v1alpha1
                kind: TenantPolicy
                metadata: {name: team-a}
                spec: {namespaceSelector: {}, networks: [tenant-a, "shared-*"], firewallOptOut: false}
                """)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bridge and network               | '- network: tenant-a'          | '- network: tenant-a\\n    bridge: br0' | set exactly one of bridge and network
            neither bridge nor network       | '- network: tenant-a'          | '- mac: 52:54:00:00:00:01'   | set exactly one of bridge and network
            DHCP with an ip                  | 'addressing: DHCP'             | 'addressing: DHCP\\n    ip: 10.0.1.5/24' | Static addressing needs ip
            static without ip                | 'addressing: DHCP'             | 'addressing: Static'          | Static addressing needs ip
            network name with a quote        | 'network: tenant-a'            | 'network: "a''b"'             | network: does not match
            ports on icmp                    | 'protocol: tcp'                | 'protocol: icmp'              | ports apply to tcp and udp only
            priority ahead of anti-spoofing  | 'priority: 100'                | 'priority: -900'              | priority: below
            protocol outside the IP layer    | 'protocol: tcp'                | 'protocol: mac'               | protocol: not one of
            CIDR with an injected attribute  | '198.51.100.0/24'              | '"198.51.100.0/24'' x=''"'    | does not match
            """)
    void eachBrokenNicIsRefusedByItsRule(String what, String valid, String broken, String expected) {
        VM.assertRefusesEdit(what, VALID_VM, valid, broken, expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bridge mode with an address      | 'forwardMode: isolated'        | 'forwardMode: bridge'         | bridge mode takes no ipv4
            nat without an address           | '  ipv4: 192.0.2.1/24\\n  dhcp: {start: 192.0.2.100, end: 192.0.2.200}\\n' | '' | the other modes need ipv4
            unknown forward mode             | 'forwardMode: isolated'        | 'forwardMode: open'           | forwardMode: not one of
            bridge name with markup          | 'bridge: vfnet-a'              | 'bridge: "br0''/><x"'         | bridge: does not match
            bridge name too long             | 'bridge: vfnet-a'              | 'bridge: vfnet-a-much-too-long' | bridge: 
            DHCP start not an address        | 'start: 192.0.2.100'           | 'start: 192.0.2.300'          | start: does not match
            """)
    void eachBrokenNetworkIsRefusedByItsRule(String what, String valid, String broken, String expected) {
        NET.assertRefusesEdit(what, VALID_NETWORK, valid, broken, expected);
    }

    @Test
    void policyNetworksAreNamesOrPrefixes() {
        assertThat(POLICY.violations("""
                apiVersion: virtfleet.io/v1alpha1
                kind: TenantPolicy
                metadata: {name: team-a}
                spec: {namespaceSelector: {}, networks: ["*"]}
                """)).anySatisfy(v -> assertThat(v).contains("networks entries must be VirtualNetwork names"));
    }
}
