package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a root volume, written only by the operator. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class RootVolumeStatus extends ConditionedStatus {
    @JsonPropertyDescription("Pending, Scheduled, Downloading, Populating, Ready or Failed.")
    private RootVolumePhase phase;

    @Size(max = 253)
    @JsonPropertyDescription("The node the volume is bound to; never changes once set.")
    private String nodeName;

    @Size(max = 4096)
    @JsonPropertyDescription("Path of the volume on its node.")
    private String devicePath;

    @Size(max = 64)
    @JsonPropertyDescription("SHA-256 of the image the volume holds.")
    private String imageSha256;

    @JsonPropertyDescription("False when no checksum existed anywhere and the image was cached by URL + ETag instead "
            + "of a verified SHA-256; true when its digest was checked.")
    private Boolean imageVerified;

    @JsonPropertyDescription("Progress of the current download or population.")
    private Long bytesDone;

    @JsonPropertyDescription("Size of the current download or population.")
    private Long bytesTotal;

    @Size(max = 253)
    @JsonPropertyDescription("The reprovisionToken of the last completed population.")
    private String populatedToken;

    public RootVolumePhase getPhase() {
        return phase;
    }

    public void setPhase(RootVolumePhase phase) {
        this.phase = phase;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getDevicePath() {
        return devicePath;
    }

    public void setDevicePath(String devicePath) {
        this.devicePath = devicePath;
    }

    public String getImageSha256() {
        return imageSha256;
    }

    public void setImageSha256(String imageSha256) {
        this.imageSha256 = imageSha256;
    }

    public Long getBytesDone() {
        return bytesDone;
    }

    public void setBytesDone(Long bytesDone) {
        this.bytesDone = bytesDone;
    }

    public Long getBytesTotal() {
        return bytesTotal;
    }

    public void setBytesTotal(Long bytesTotal) {
        this.bytesTotal = bytesTotal;
    }

    public String getPopulatedToken() {
        return populatedToken;
    }

    public void setPopulatedToken(String populatedToken) {
        this.populatedToken = populatedToken;
    }

    public Boolean getImageVerified() {
        return imageVerified;
    }

    public void setImageVerified(Boolean imageVerified) {
        this.imageVerified = imageVerified;
    }
}
