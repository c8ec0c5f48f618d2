package io.virtfleet.operator.rootvolume;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.CloneSource;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.crds.v1alpha1.ImageFormat;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RootVolumeSpecCheckTest {
    private static RootVolumeSpec spec(String size) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("s3://images/debian.qcow2", null));
        spec.setSize(new Quantity(size));
        return spec;
    }

    @Test
    void aPlainSpecPassesAndMapsToTheAgentRequest() throws Exception {
        RootVolumeSpec spec = spec("10Gi");
        spec.setReprovisionToken("2");
        spec.setNodeSelector(Map.of("virtfleet.io/hypervisor", "true"));
        assertThat(RootVolumeSpecCheck.check("web01-root", spec)).isEmpty();
        spec.getImage().setFormat(ImageFormat.QCOW2);
        var request = VolumeRequestMapper.map(spec, Optional.empty(), "uid-7");
        assertThat(request.ownerUid()).isEqualTo("uid-7");
        assertThat(request.imageFormat()).isEqualTo("qcow2");
        assertThat(request.sizeBytes()).isEqualTo(10L << 30);
        assertThat(request.imageUrl()).isEqualTo("s3://images/debian.qcow2");
        assertThat(request.reprovisionToken()).isEqualTo("2");
        assertThat(request.provisioning()).as("Copy goes as no field: older agents refuse unknown ones").isNull();
        assertThat(new ObjectMapper().writeValueAsString(request)).doesNotContain("provisioning");
    }

    @Test
    void aCatalogImageMapsToTheResolvedImageNotTheReference() {
        RootVolumeSpec spec = spec("10Gi");
        spec.setImage(ImageSource.catalog("debian-12"));
        assertThat(RootVolumeSpecCheck.check("web01-root", spec)).isEmpty();
        ImageSource resolved = new ImageSource("s3://platform-images/debian-12.qcow2", "ab".repeat(32));
        resolved.setFormat(ImageFormat.RAW);

        var request = VolumeRequestMapper.map(spec, resolved, Optional.empty(), "uid-7");

        assertThat(request.imageUrl()).isEqualTo("s3://platform-images/debian-12.qcow2");
        assertThat(request.imageSha256()).isEqualTo("ab".repeat(32));
        assertThat(request.imageFormat()).isEqualTo("raw");
    }

    @Test
    void aCatalogReferenceIsExclusiveAndANameThatClimbsIsInvalid() {
        RootVolumeSpec both = spec("10Gi");
        both.getImage().setCatalog("debian-12");
        assertThat(RootVolumeSpecCheck.check("v1", both)).get()
                .satisfies(p -> assertThat(p.message()).contains("set exactly one of url and catalog"));

        RootVolumeSpec withDigest = spec("10Gi");
        withDigest.setImage(ImageSource.catalog("debian-12"));
        withDigest.getImage().setSha256("ab".repeat(32));
        assertThat(RootVolumeSpecCheck.check("v1", withDigest)).get()
                .satisfies(p -> assertThat(p.message()).contains("takes its sha256"));

        for (String name : new String[]{"../debian-12", "a/b", "..", "Debian"}) {
            RootVolumeSpec climbing = spec("10Gi");
            climbing.setImage(ImageSource.catalog(name));
            assertThat(RootVolumeSpecCheck.check("v1", climbing)).as(name).get()
                    .satisfies(p -> assertThat(p.message()).contains("spec.image.catalog"));
        }

        RootVolumeSpec neither = spec("10Gi");
        neither.setImage(new ImageSource());
        assertThat(RootVolumeSpecCheck.check("v1", neither)).get()
                .satisfies(p -> assertThat(p.message()).contains("spec.image.url or spec.image.catalog is required"));
    }

    @Test
    void anOverlayIsAskedOfTheAgent() {
        RootVolumeSpec spec = spec("10Gi");
        spec.setProvisioning(Provisioning.Overlay);
        assertThat(VolumeRequestMapper.map(spec, Optional.empty(), "uid-7").provisioning())
                .isEqualTo(VolumeProvisioning.Overlay);
        spec.setProvisioning(Provisioning.Copy);
        assertThat(VolumeRequestMapper.map(spec, Optional.empty(), "uid-7").provisioning()).isNull();
    }

    @Test
    void zeroSizeIsInvalidAndNamesTheField() {
        assertThat(RootVolumeSpecCheck.check("v1", spec("0"))).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("InvalidSpec");
            assertThat(p.message()).contains("spec.size");
        });
    }

    @Test
    void aMalformedChecksumOrNameIsInvalid() {
        RootVolumeSpec spec = spec("1Gi");
        spec.getImage().setSha256("ABC");
        assertThat(RootVolumeSpecCheck.check("v1", spec)).get()
                .satisfies(p -> assertThat(p.message()).contains("spec.image.sha256"));
        assertThat(RootVolumeSpecCheck.check("v.1", spec("1Gi"))).get()
                .satisfies(p -> assertThat(p.message()).contains("metadata.name"));
    }

    @Test
    void aCloneNamesOneSourceAndNoImageTokenOrOverlay() {
        RootVolumeSpec clone = new RootVolumeSpec();
        clone.setSize(new Quantity("10Gi"));
        clone.setSource(CloneSource.ofRootVolume("web01-root"));
        assertThat(RootVolumeSpecCheck.check("web02-root", clone)).isEmpty();

        clone.setImage(new ImageSource("s3://images/debian.qcow2", null));
        assertThat(RootVolumeSpecCheck.check("web02-root", clone)).get()
                .satisfies(p -> assertThat(p.message()).contains("set exactly one of image and source"));
        clone.setImage(null);
        clone.getSource().setVirtualMachineSnapshot("web01-before");
        assertThat(RootVolumeSpecCheck.check("web02-root", clone)).get()
                .satisfies(p -> assertThat(p.message()).contains("exactly one of rootVolume and virtualMachineSnapshot"));
        clone.setSource(CloneSource.ofRootVolume("../other-ns/web01-root"));
        assertThat(RootVolumeSpecCheck.check("web02-root", clone)).isPresent();
        clone.setSource(CloneSource.ofSnapshot("web01-before"));
        clone.setReprovisionToken("again");
        assertThat(RootVolumeSpecCheck.check("web02-root", clone)).get()
                .satisfies(p -> assertThat(p.message()).contains("no reprovisionToken"));
    }
}
