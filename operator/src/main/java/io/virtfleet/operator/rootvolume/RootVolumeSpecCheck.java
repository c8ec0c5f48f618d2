package io.virtfleet.operator.rootvolume;

import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.crds.v1alpha1.CloneSource;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.operator.spec.FieldCheck;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;

import java.util.Optional;

/** Re-checks a RootVolume spec in code with the CRD schema's rules; problems name the field. */
public final class RootVolumeSpecCheck {
    private RootVolumeSpecCheck() {
    }

    public static Optional<Problem> check(String name, RootVolumeSpec spec) {
        FieldCheck check = new FieldCheck().pattern(name, Patterns.NAME, "metadata.name");
        into(check, spec, "spec");
        return check.result(Reason.INVALID_SPEC);
    }

    /** @param prefix where the spec sits: {@code spec}, or {@code spec.rootVolume.template} inside a VM */
    public static void into(FieldCheck check, RootVolumeSpec spec, String prefix) {
        if (spec != null && spec.getSource() != null) {
            clone(check, spec, prefix);
            return;
        }
        if (spec == null || spec.getImage() == null
                || spec.getImage().getUrl() == null && spec.getImage().getCatalog() == null) {
            check.require(false, prefix + ".image.url or " + prefix + ".image.catalog is required");
            return;
        }
        ImageSource image = spec.getImage();
        check.require(image.getUrl() == null || image.getCatalog() == null,
                        prefix + ".image: set exactly one of url and catalog")
                .pattern(image.getCatalog(), Patterns.CATALOG_IMAGE_NAME, prefix + ".image.catalog")
                .require(image.getCatalog() == null || image.getSha256() == null && image.getCredentialsSecret() == null
                        && image.getFormat() == null, prefix + ".image: a catalog image takes its sha256, "
                        + "credentialsSecret and format from the VirtualMachineImage")
                .pattern(image.getUrl(), Patterns.IMAGE_URL, prefix + ".image.url")
                .pattern(spec.getImage().getSha256(), Patterns.SHA256, prefix + ".image.sha256")
                .positive(spec.getSize(), prefix + ".size", "10Gi")
                .require(spec.getNodeName() == null || spec.getNodeSelector() == null
                        || spec.getNodeSelector().isEmpty(), prefix + ": set either nodeName or nodeSelector, not both");
    }

    /** A clone: one source by name (resolved in the object's own namespace), no image, no token, a Copy. */
    private static void clone(FieldCheck check, RootVolumeSpec spec, String prefix) {
        CloneSource source = spec.getSource();
        check.require(spec.getImage() == null, prefix + ": set exactly one of image and source")
                .require((source.getRootVolume() == null) != (source.getVirtualMachineSnapshot() == null),
                        prefix + ".source: set exactly one of rootVolume and virtualMachineSnapshot")
                .pattern(source.getRootVolume(), Patterns.NAME, prefix + ".source.rootVolume")
                .pattern(source.getVirtualMachineSnapshot(), Patterns.NAME, prefix + ".source.virtualMachineSnapshot")
                .require(spec.getReprovisionToken() == null && spec.getProvisioning() != Provisioning.Overlay,
                        prefix + ": a clone (source) has no reprovisionToken and is a Copy")
                .positive(spec.getSize(), prefix + ".size", "10Gi");
    }
}
