package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** One captured volume in a snapshot's status. */
public class SnapshotVolume {
    @Size(max = 253)
    @JsonPropertyDescription("The RootVolume captured.")
    private String rootVolume;

    @JsonPropertyDescription("Size of the captured volume in bytes.")
    private Long sizeBytes;

    @Size(max = 64)
    @JsonPropertyDescription("When the capture finished (RFC 3339).")
    private String creationTime;

    @Size(max = 32)
    @JsonPropertyDescription("How the node holds it: copy (dir pools) or lvm-snapshot (logical pools).")
    private String method;

    public String getRootVolume() {
        return rootVolume;
    }

    public void setRootVolume(String rootVolume) {
        this.rootVolume = rootVolume;
    }

    public Long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(Long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    public String getCreationTime() {
        return creationTime;
    }

    public void setCreationTime(String creationTime) {
        this.creationTime = creationTime;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }
}
