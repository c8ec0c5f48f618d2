package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a cloned RootVolume is copied from: another RootVolume or a VirtualMachineSnapshot, in the same namespace. */
@ValidationRule(value = "has(self.rootVolume) != has(self.virtualMachineSnapshot)",
        message = "set exactly one of rootVolume and virtualMachineSnapshot")
public class CloneSource {
    @Size(max = 253)
    @Pattern(Patterns.NAME)
    @ValidationRule(value = "self == oldSelf", message = "spec.source cannot change: create another RootVolume")
    @JsonPropertyDescription("A Ready RootVolume of the same namespace (provisioning Copy) to copy.")
    private String rootVolume;

    @Size(max = 253)
    @Pattern(Patterns.NAME)
    @ValidationRule(value = "self == oldSelf", message = "spec.source cannot change: create another RootVolume")
    @JsonPropertyDescription("A readyToUse VirtualMachineSnapshot of the same namespace whose root volume is copied.")
    private String virtualMachineSnapshot;

    public CloneSource() {
    }

    public static CloneSource ofRootVolume(String name) {
        CloneSource source = new CloneSource();
        source.rootVolume = name;
        return source;
    }

    public static CloneSource ofSnapshot(String name) {
        CloneSource source = new CloneSource();
        source.virtualMachineSnapshot = name;
        return source;
    }

    public String getRootVolume() {
        return rootVolume;
    }

    public void setRootVolume(String rootVolume) {
        this.rootVolume = rootVolume;
    }

    public String getVirtualMachineSnapshot() {
        return virtualMachineSnapshot;
    }

    public void setVirtualMachineSnapshot(String virtualMachineSnapshot) {
        this.virtualMachineSnapshot = virtualMachineSnapshot;
    }
}
