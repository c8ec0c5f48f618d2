package io.virtfleet.operator.rootvolume;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RootVolumeSpecCheckTest {
    private static RootVolumeSpec spec(String size) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("s3://images/debian.qcow2", null));
        spec.setSize(new Quantity(size));
        return spec;
    }

    @Test
    void aPlainSpecPassesAndMapsToTheAgentRequest() {
        assertThat(RootVolumeSpecCheck.check(spec("10Gi"))).isEmpty();
        var request = RootVolumeReconciler.desiredVolume(spec("10Gi"));
        assertThat(request.sizeBytes()).isEqualTo(10L << 30);
        assertThat(request.imageUrl()).isEqualTo("s3://images/debian.qcow2");
    }

    @Test
    void zeroSizeIsInvalidAndNamesTheField() {
        assertThat(RootVolumeSpecCheck.check(spec("0"))).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("InvalidSpec");
            assertThat(p.message()).contains("spec.size");
        });
    }

    @Test
    void aMalformedChecksumIsInvalid() {
        RootVolumeSpec spec = spec("1Gi");
        spec.getImage().setSha256("ABC");
        assertThat(RootVolumeSpecCheck.check(spec)).get()
                .satisfies(p -> assertThat(p.message()).contains("spec.image.sha256"));
    }

    @Test
    void fieldsNotImplementedYetAreRefusedNotIgnored() {
        RootVolumeSpec spec = spec("1Gi");
        spec.setNodeSelector(Map.of("virtfleet.io/hypervisor", "true"));
        spec.setReprovisionToken("2");
        assertThat(RootVolumeSpecCheck.check(spec)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("UnsupportedField");
            assertThat(p.message()).contains("spec.nodeSelector").contains("spec.reprovisionToken");
        });
    }
}
