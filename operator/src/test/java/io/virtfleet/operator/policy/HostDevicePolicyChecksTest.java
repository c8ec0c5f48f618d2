package io.virtfleet.operator.policy;

import static io.virtfleet.operator.policy.Policies.effective;
import static io.virtfleet.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.spec.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A VM asks only for host device resource names a TenantPolicy of its namespace lists. */
class HostDevicePolicyChecksTest {
    private static final EffectivePolicy NONE = effective("team-a");
    private static final EffectivePolicy T4 = effective("team-a", policy("gpus", Map.of(), s ->
            s.setHostDevices(List.of("gpu.example.com/t4", "*", "gpu.example.com/*", "not a name"))));

    @Test
    void anAllowedResourceNamePasses() {
        assertThat(check(T4, "gpu.example.com/t4", "gpu.example.com/t4")).isEmpty();
        assertThat(check(NONE)).isEmpty();
    }

    @Test
    void withoutAPolicyNoDeviceIsAllowedAndTheRefusalNamesFieldAndAllowances() {
        assertThat(check(NONE, "gpu.example.com/t4")).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
            assertThat(p.message()).contains("spec.hostDevices[0].resourceName 'gpu.example.com/t4'")
                    .contains("allows none").contains("hostDevices of a TenantPolicy");
        });
    }

    /** Wildcards and malformed entries in a policy are dropped, never read as "everything". */
    @Test
    void aResourceNotListedIsRefusedEvenBesideWildcardEntries() {
        assertThat(T4.hostDevices()).containsExactly("gpu.example.com/t4");
        assertThat(check(T4, "gpu.example.com/t4", "gpu.example.com/a100")).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED);
            assertThat(p.message()).contains("spec.hostDevices[1]").contains("allows gpu.example.com/t4");
        });
    }

    private static Optional<Problem> check(EffectivePolicy policy, String... resources) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        List<HostDeviceRequest> devices = new java.util.ArrayList<>();
        for (int i = 0; i < resources.length; i++) {
            devices.add(new HostDeviceRequest("gpu" + i, resources[i]));
        }
        spec.setHostDevices(devices);
        return PolicyChecks.virtualMachine(spec, policy);
    }
}
