package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Boot firmware of a VM. */
public enum Firmware {
    @JsonProperty("bios") BIOS,
    @JsonProperty("uefi") UEFI
}
