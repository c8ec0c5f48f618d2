package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The format an image's owner declares; the agent refuses an image whose sniffed format differs. */
public enum ImageFormat {
    @JsonProperty("qcow2") QCOW2,
    @JsonProperty("raw") RAW;

    /** The name the agent contract uses. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
