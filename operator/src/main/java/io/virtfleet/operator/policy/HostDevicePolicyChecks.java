package io.virtfleet.operator.policy;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.operator.spec.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The host device side of a VM's policy check: a VM asks only for resource names its namespace's TenantPolicies
 * list (none when they list none). The agent checks the device model again against its own allow-list.
 */
final class HostDevicePolicyChecks {
    private HostDevicePolicyChecks() {
    }

    static Optional<Problem> allowed(List<HostDeviceRequest> devices, EffectivePolicy policy) {
        if (devices == null) {
            return Optional.empty();
        }
        for (int i = 0; i < devices.size(); i++) {
            String resource = devices.get(i).getResourceName();
            if (resource == null || !policy.hostDevices().contains(resource)) {
                return Optional.of(new Problem(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED, "spec.hostDevices[" + i
                        + "].resourceName '" + resource + "' is not an allowed host device (" + policy.describe()
                        + " allows " + (policy.hostDevices().isEmpty() ? "none"
                        : String.join(", ", policy.hostDevices().stream().sorted().toList()))
                        + "); ask the platform team to add it to hostDevices of a TenantPolicy for this namespace"));
            }
        }
        return Optional.empty();
    }
}
