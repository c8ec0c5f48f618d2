package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the guest CPU model is derived from the host's. */
public enum CpuMode {
    @JsonProperty("host-model") HOST_MODEL,
    @JsonProperty("host-passthrough") HOST_PASSTHROUGH
}
