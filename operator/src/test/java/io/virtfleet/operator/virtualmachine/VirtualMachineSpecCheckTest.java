package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualMachineSpecCheckTest {
    private static VirtualMachineSpec spec() {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(2);
        spec.setMemory(new Quantity("1Gi"));
        spec.setRootVolume(new RootVolumeReference("web01-root"));
        return spec;
    }

    @Test
    void aPlainSpecPasses() {
        assertThat(VirtualMachineSpecCheck.check(spec())).isEmpty();
        assertThat(VirtualMachineSpecCheck.memoryBytes(spec())).isEqualByComparingTo("1073741824");
    }

    @Test
    void bothNameAndTemplateIsInvalid() {
        VirtualMachineSpec spec = spec();
        spec.getRootVolume().setTemplate(new RootVolumeSpec());
        assertThat(VirtualMachineSpecCheck.check(spec)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("InvalidSpec");
            assertThat(p.message()).contains("spec.rootVolume");
        });
    }

    @Test
    void zeroVcpusIsInvalid() {
        VirtualMachineSpec spec = spec();
        spec.setVcpus(0);
        assertThat(VirtualMachineSpecCheck.check(spec)).get()
                .satisfies(p -> assertThat(p.message()).contains("spec.vcpus"));
    }

    @Test
    void uefiIsRefusedUntilImplemented() {
        VirtualMachineSpec spec = spec();
        spec.setFirmware(Firmware.UEFI);
        assertThat(VirtualMachineSpecCheck.check(spec)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("UnsupportedField");
            assertThat(p.message()).contains("spec.firmware");
        });
    }
}
