package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.rootvolume.RootVolumeSpecCheck.Problem;
import io.virtfleet.operator.status.Reason;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a VirtualMachine spec in code, after the API server's schema, and refuses fields this version does not
 * implement yet instead of silently ignoring them.
 */
public final class VirtualMachineSpecCheck {
    private VirtualMachineSpecCheck() {
    }

    public static Optional<Problem> check(VirtualMachineSpec spec) {
        if (spec == null || spec.getVcpus() == null || spec.getVcpus() < 1) {
            return invalid("spec.vcpus must be at least 1");
        }
        if (spec.getMemory() == null || memoryBytes(spec).signum() <= 0) {
            return invalid("spec.memory must be a positive quantity, e.g. 1Gi");
        }
        if (spec.getRootVolume() == null
                || (spec.getRootVolume().getName() == null) == (spec.getRootVolume().getTemplate() == null)) {
            return invalid("spec.rootVolume must set exactly one of name or template");
        }
        List<String> unsupported = new ArrayList<>();
        addIf(unsupported, spec.getRootVolume().getTemplate() != null, "spec.rootVolume.template");
        addIf(unsupported, spec.getDataDisks() != null && !spec.getDataDisks().isEmpty(), "spec.dataDisks");
        addIf(unsupported, spec.getNetworkInterfaces() != null && !spec.getNetworkInterfaces().isEmpty(),
                "spec.networkInterfaces");
        addIf(unsupported, spec.getCloudInit() != null, "spec.cloudInit");
        addIf(unsupported, spec.getFirmware() == Firmware.UEFI, "spec.firmware: uefi");
        addIf(unsupported, spec.getCpuMode() != null, "spec.cpuMode");
        addIf(unsupported, spec.getRunStrategy() == RunStrategy.Manual, "spec.runStrategy: Manual");
        addIf(unsupported, spec.getNodeSelector() != null && !spec.getNodeSelector().isEmpty(), "spec.nodeSelector");
        addIf(unsupported, spec.getReprovisionToken() != null, "spec.reprovisionToken");
        if (!unsupported.isEmpty()) {
            return Optional.of(new Problem(Reason.UNSUPPORTED_FIELD, String.join(", ", unsupported)
                    + " not implemented yet by this operator version; remove to proceed"));
        }
        return Optional.empty();
    }

    public static BigDecimal memoryBytes(VirtualMachineSpec spec) {
        try {
            return spec.getMemory().getNumericalAmount();
        } catch (IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }

    private static void addIf(List<String> list, boolean condition, String field) {
        if (condition && !list.contains(field)) {
            list.add(field);
        }
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(Reason.INVALID_SPEC, message));
    }
}
