package io.virtfleet.crds.v1alpha1;

/** API group and version of every VirtFleet resource. */
public final class Api {
    public static final String GROUP = "virtfleet.io";
    public static final String VERSION = "v1alpha1";

    private Api() {
    }
}
