package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.device.AllowedHostDevice;
import io.virtfleet.agent.device.HostDeviceInventory;
import io.virtfleet.agent.device.LibvirtNodeDevices;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PCI passthrough against libvirt's test driver, whose node file declares two T4 GPUs and a NIC
 * ({@code test-driver-node.xml}): the inventory, the agent's refusals, and domain definitions with {@code hostdev}
 * that libvirt's own domain XML parser accepts. Nothing is really assigned: this machine has no IOMMU, and the test
 * driver starts nothing.
 */
class HostDevicePassthroughTest {
    private static final String GPU_A = "0000:03:00.0";
    private static final String GPU_B = "0000:04:00.0";
    private static final String NIC = "0000:05:00.0";
    private static final String GPU_WITHOUT_IOMMU = "0000:06:00.0";
    private static final List<AllowedHostDevice> T4_ONLY = List.of(AllowedHostDevice.parse("gpu.example.com/t4=10de:1eb8"));

    private final LibvirtConnection libvirt = LibvirtConnection.open("test://" + nodeFile());
    private final HostDeviceInventory inventory = new HostDeviceInventory(T4_ONLY, new LibvirtNodeDevices(libvirt));

    private static Path nodeFile() {
        try {
            return Path.of(HostDevicePassthroughTest.class.getResource("/io/virtfleet/agent/device/test-driver-node.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        libvirt.close();
    }

    @Test
    void listsOnlyAllowedModelsWithTheirGroupsAndNoneInUse() {
        assertThat(inventory.list()).containsExactlyInAnyOrder(
                new HostCapacity.HostDevice("gpu.example.com/t4", GPU_A, 14, null, false, null),
                new HostCapacity.HostDevice("gpu.example.com/t4", GPU_B, 15, null, false, null),
                new HostCapacity.HostDevice("gpu.example.com/t4", GPU_WITHOUT_IOMMU, null, null, false, null));
    }

    @Test
    void anEmptyAllowListOffersNothingAndRefusesEveryDevice() {
        HostDeviceInventory none = new HostDeviceInventory(List.of(), new LibvirtNodeDevices(libvirt));

        assertThat(none.list()).isEmpty();
        assertThat(refusal(none, "pt-vm", GPU_A).reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
    }

    @Test
    void aDomainOfTheAgentHoldsItsDeviceAndIsNamedWhileAnotherDomainIsNot() {
        define(agentDomain("pt-gpu-a", GPU_A));
        define(foreignDomain("someone-else", GPU_B));

        assertThat(inventory.list()).filteredOn(HostCapacity.HostDevice::inUse).containsExactlyInAnyOrder(
                new HostCapacity.HostDevice("gpu.example.com/t4", GPU_A, 14, null, true, "pt-gpu-a"),
                new HostCapacity.HostDevice("gpu.example.com/t4", GPU_B, 15, null, true, null));
    }

    @Test
    void refusesADeviceAnotherDomainHoldsButNotTheHoldersOwn() {
        define(agentDomain("pt-gpu-a", GPU_A));

        AgentException taken = refusal(inventory, "pt-gpu-b", GPU_A);
        assertThat(taken.kind()).isEqualTo(AgentException.Kind.CONFLICT);
        assertThat(taken.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_IN_USE);
        assertThat(taken.getMessage()).contains(GPU_A).doesNotContain("pt-gpu-a");
        assertThatCode(() -> inventory.check("pt-gpu-a", List.of(GPU_A))).doesNotThrowAnyException();
        assertThatCode(() -> inventory.check("pt-gpu-b", List.of(GPU_B))).doesNotThrowAnyException();
    }

    @Test
    void aRunningDomainHoldsTheDevicesOfItsNextStartDefinitionToo() {
        libvirt.call("start", connect -> {
            connect.domainDefineXML(foreignDomain("pt-running", GPU_B)).create();
            return null;
        });
        // Redefining a running domain changes only its persistent definition: GPU_A is its at the next start.
        define(foreignDomain("pt-running", GPU_A));

        assertThat(inventory.list()).filteredOn(HostCapacity.HostDevice::inUse).extracting(HostCapacity.HostDevice::address)
                .containsExactlyInAnyOrder(GPU_A, GPU_B);
        assertThat(refusal(inventory, "pt-other", GPU_A).reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_IN_USE);
        assertThatCode(() -> inventory.check("pt-running", List.of(GPU_A, GPU_B))).doesNotThrowAnyException();
    }

    @Test
    void refusesADeviceWhoseModelIsNotAllowedAnAddressTheHostDoesNotHaveAndADeviceWithoutIommu() {
        AgentException model = refusal(inventory, "pt-vm", NIC);
        assertThat(model.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
        assertThat(model.getMessage()).contains("1af4:1000");

        AgentException unknown = refusal(inventory, "pt-vm", "0000:09:00.0");
        assertThat(unknown.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_FOUND);

        AgentException noIommu = refusal(inventory, "pt-vm", GPU_WITHOUT_IOMMU);
        assertThat(noIommu.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ASSIGNABLE);
        assertThat(noIommu.getMessage()).contains("no IOMMU group");
    }

    @Test
    void malformedOrRepeatedAddressesAreInvalidRequests() {
        DomainRequest base = new DomainRequest(1, 64L << 20, "root", false);
        for (List<String> addresses : List.of(List.of("0000:03:00.0'/><disk"), List.of("03:00.0"), List.of("0000:03:00.0 "),
                List.of("0000:03:00.0", "0000:03:00.0"), List.of("0000:03:20.0"))) {
            AgentException invalid = catchThrowableOfType(AgentException.class,
                    () -> DomainRequests.validate(base.withHostDevices(addresses)));
            assertThat(invalid).as("%s", addresses).isNotNull();
            assertThat(invalid.kind()).isEqualTo(AgentException.Kind.INVALID_REQUEST);
        }
    }

    private static AgentException refusal(HostDeviceInventory inventory, String domain, String address) {
        AgentException refused = catchThrowableOfType(AgentException.class, () -> inventory.check(domain, List.of(address)));
        assertThat(refused).as("refusal of %s", address).isNotNull();
        return refused;
    }

    private void define(String xml) {
        libvirt.call("define", connect -> connect.domainDefineXML(xml));
    }

    /** The definition the agent writes for a request with this device: converter, fingerprint and all. */
    private static String agentDomain(String name, String address) {
        DomainRequest request = new DomainRequest(1, 64L << 20, "root", false).withHostDevices(List.of(address));
        DomainPlan plan = new DomainPlan(name, UUID.randomUUID(), "test", request, DomainXmlTest.ROOT, List.of(), null,
                null, List.of(), ConsoleFiles.in(Path.of("/tmp/pt-consoles"), name), null);
        return LibvirtXml.write(DomainFingerprint.stamped(DomainXmlConverter.convert(plan), null));
    }

    /** A domain the agent did not define; its UUID follows from its name so that it can be redefined. */
    private static String foreignDomain(String name, String address) {
        String[] bus = address.split("[:.]");
        return """
                <domain type='test'><name>%s</name><uuid>%s</uuid><memory>65536</memory><os><type>hvm</type></os>
                <devices><hostdev mode='subsystem' type='pci' managed='yes'><source>
                <address domain='0x%s' bus='0x%s' slot='0x%s' function='0x%s'/></source></hostdev></devices></domain>
                """.formatted(name, UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)), bus[0], bus[1], bus[2], bus[3]);
    }
}
