package io.virtfleet.operator.rootvolume;

import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.operator.base.Quantities;
import java.util.Optional;

/** A RootVolume's spec as the agent's volume request: the one translation between the two. */
final class VolumeRequestMapper {
    private VolumeRequestMapper() {
    }

    /**
     * The volume as the agent should hold it, recorded for this object's UID (the agent refuses other owners). Copy is
     * sent as no provisioning at all, so that agents older than overlays keep taking full copies.
     */
    static VolumeRequest map(RootVolumeSpec spec, Optional<ImageCredentials> credentials, String ownerUid) {
        return map(spec, spec.getImage(), credentials, ownerUid);
    }

    /** @param image the image to fetch: {@code spec.image}, or the catalogue image it names, resolved */
    static VolumeRequest map(RootVolumeSpec spec, ImageSource image, Optional<ImageCredentials> credentials,
                             String ownerUid) {
        return new VolumeRequest(image.getUrl(), image.getSha256(),
                Quantities.bytes(spec.getSize()), spec.getStorage(), spec.getReprovisionToken(),
                credentials.orElse(null),
                image.getFormat() == null ? null : image.getFormat().wireName(), ownerUid,
                spec.getProvisioning() == Provisioning.Overlay ? VolumeProvisioning.Overlay : null);
    }
}
