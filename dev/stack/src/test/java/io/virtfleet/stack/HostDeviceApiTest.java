package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PCI passthrough through the operator on the mock API, with the stack's real agent (over mutual TLS) reporting the
 * one GPU of its simulated hypervisor (libvirt's test driver, {@link ReconcilerStack#GPU}). Simulated: this machine
 * has no IOMMU, so no device is really assigned and no guest sees one; what is shown is the inventory, the policy,
 * the scheduling, the status and the agent's refusals.
 */
class HostDeviceApiTest extends ReconcilerApiTests {
    private static final String T4 = ReconcilerStack.GPU.resourceName();
    private static final String GPU = ReconcilerStack.GPU.address();
    private static final java.time.Duration WOKEN_BEFORE_RETRY = java.time.Duration.ofSeconds(20);

    @Test
    void oneGpuGoesToOneVmTheSecondWaitsNamingTheResourceAndGetsItWhenTheFirstIsGone() throws Exception {
        TenantPolicy policy = allow("api-gpu-", spec -> spec.setHostDevices(List.of(T4)));
        VirtualMachine first = awaitStatus(client.resource(gpuVm("api-gpu-a", T4)).create(),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        assertThat(first.getStatus().getHostDevices()).singleElement().satisfies(d -> {
            assertThat(d.getName()).isEqualTo("gpu0");
            assertThat(d.getResourceName()).isEqualTo(T4);
            assertThat(d.getAddress()).isEqualTo(GPU);
        });
        assertThat(stack.agent().host().hostDevices()).as("the agent reads the hostdev back from the domain; the NIC "
                        + "of a model not allowed is not offered")
                .containsExactly(new HostCapacity.HostDevice(T4, GPU, 14, null, true, AgentNames.of(first)));

        VirtualMachine second = awaitStatus(client.resource(gpuVm("api-gpu-b", T4)).create(),
                v -> !Conditions.find(v.getStatus(), ConditionType.Scheduled).map(c -> c.getStatus()).orElse("")
                        .isEmpty());
        assertThat(second.getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Pending);
        assertThat(second.getStatus().getNodeName()).isNull();
        assertThat(second.getStatus().getHostDevices()).isNull();
        assertThat(Conditions.find(second.getStatus(), ConditionType.Scheduled)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InsufficientCapacity");
            assertThat(c.getMessage()).contains("needs 1 free " + T4 + ", has 0");
        });

        client.resource(first).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(first).get() == null);
        // The first VM's deletion wakes the waiting one: placed well before its own retry (30 s after it was refused)
        // could have placed it.
        VirtualMachine moved = await().atMost(WOKEN_BEFORE_RETRY).until(() -> client.resource(second).get(),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);
        assertThat(moved.getStatus().getHostDevices()).singleElement()
                .satisfies(d -> assertThat(d.getAddress()).isEqualTo(GPU));

        client.resource(moved).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(moved).get() == null);
        assertThat(stack.agent().host().hostDevices()).singleElement().satisfies(d -> assertThat(d.inUse()).isFalse());
        client.resource(policy).delete();
    }

    /**
     * A placed template VM whose entry is renamed keeps its one GPU: its own status record (read back through the
     * informer) is not another VM's, so it never waits for its own device.
     */
    @Test
    void aRenamedDeviceEntryKeepsTheVmsGpu() {
        TenantPolicy policy = allow("api-gpu-", spec -> spec.setHostDevices(List.of(T4)));
        VirtualMachine vm = awaitStatus(client.resource(gpuVm("api-gpu-renamed", T4)).create(),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        vm.getSpec().setHostDevices(List.of(new HostDeviceRequest("gpu1", T4)));
        VirtualMachine renamed = awaitStatus(client.resource(vm).update(), v -> v.getStatus().getHostDevices() != null
                && "gpu1".equals(v.getStatus().getHostDevices().getFirst().getName()));

        assertThat(renamed.getStatus().getHostDevices()).singleElement()
                .satisfies(d -> assertThat(d.getAddress()).isEqualTo(GPU));
        assertThat(renamed.getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Running);
        assertThat(Conditions.isTrue(renamed.getStatus(), ConditionType.Scheduled)).isTrue();
        client.resource(renamed).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(renamed).get() == null);
        client.resource(policy).delete();
    }

    @Test
    void aResourceNoPolicyAllowsIsRefusedBeforePlacementWithAWarning() {
        VirtualMachine refused = awaitStatus(client.resource(gpuVm("api-gpu-refused", "gpu.example.com/a100")).create(),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Failed);

        assertThat(ready(refused).getReason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
        assertThat(ready(refused).getMessage()).contains("spec.hostDevices[0].resourceName 'gpu.example.com/a100'");
        assertThat(refused.getStatus().getNodeName()).as("refused before placement").isNull();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(refused)).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
            assertThat(e.getType()).isEqualTo("Warning");
        }));
        client.resource(refused).delete();
    }

    /** The agent checks again, whoever calls: a caller with valid credentials cannot take a device it may not have. */
    @Test
    void theAgentRefusesAnUnknownAddressAnUnallowedModelAndADeviceAnotherDomainHolds() throws Exception {
        TenantPolicy policy = allow("api-gpu-", spec -> spec.setHostDevices(List.of(T4)));
        VirtualMachine holder = awaitStatus(client.resource(gpuVm("api-gpu-holder", T4)).create(),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        assertThat(refusal("default.api-gpu-intruder", GPU)).isEqualTo(AgentErrorReasons.HOST_DEVICE_IN_USE);
        assertThat(refusal("default.api-gpu-intruder", "0000:7f:00.0")).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_FOUND);
        assertThat(refusal("default.api-gpu-intruder", ReconcilerStack.UNALLOWED_NIC.address()))
                .isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
        assertThat(refusal("default.api-gpu-intruder", "0000:03:00.0'/>")).isEqualTo(AgentErrorReasons.INVALID_REQUEST);
        assertThat(stack.agent().getDomain("default.api-gpu-intruder")).isEmpty();

        client.resource(holder).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(holder).get() == null);
        client.resource(policy).delete();
    }

    private String refusal(String domain, String address) {
        DomainRequest request = new DomainRequest(1, 64L << 20, "default.api-gpu-intruder-root", true)
                .withHostDevices(List.of(address));
        try {
            stack.agent().putDomain(domain, request);
            throw new AssertionError("the agent accepted " + address);
        } catch (AgentCallException e) {
            return e.error().reason();
        }
    }

    private static VirtualMachine gpuVm(String name, String resource) {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, name, SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setHostDevices(List.of(new HostDeviceRequest("gpu0", resource)));
        return vm;
    }
}
