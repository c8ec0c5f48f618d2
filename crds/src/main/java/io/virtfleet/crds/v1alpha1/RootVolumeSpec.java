package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Default;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;

/** Desired state of a root volume: which image (or which volume to clone), how big, where. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"size\":{\"maxLength\":64}}}")
@ValidationRule(value = "!has(self.nodeName) || !has(self.nodeSelector)",
        message = "set either nodeName or nodeSelector, not both")
@ValidationRule(value = "has(self.image) != has(self.source)", message = "set exactly one of image and source")
@ValidationRule(value = "!has(self.source) || (!has(self.reprovisionToken) && (!has(self.provisioning) "
        + "|| self.provisioning == 'Copy'))", message = "a clone (spec.source) has no reprovisionToken and is a Copy")
public class RootVolumeSpec {
    @JsonPropertyDescription("The base image the volume is populated from (or set source instead).")
    private ImageSource image;

    @JsonPropertyDescription("Clone: copy this RootVolume or VirtualMachineSnapshot of the same namespace instead of an "
            + "image. The clone lives on the source's node; a source on another node is refused.")
    private CloneSource source;

    @Required
    @ValidationRule(value = Patterns.POSITIVE_QUANTITY_RULE, message = "size must be a positive quantity")
    @JsonPropertyDescription("Size of the volume, at least the image's virtual size (e.g. 20Gi).")
    private Quantity size;

    @Size(max = 253)
    @JsonPropertyDescription("Node (hypervisor) the volume must live on. Empty lets the operator choose.")
    private String nodeName;

    @JsonPropertyDescription("Labels a node must carry to hold the volume.")
    @Size(max = 32)
    private Map<String, @Size(max = 63) String> nodeSelector;

    @Size(max = 128)
    @Pattern(Patterns.POOL)
    @JsonPropertyDescription("Storage pool (LVM volume group or libvirt pool) on the node. Empty means the agent's default.")
    private String storage;

    @Size(max = 253)
    @JsonPropertyDescription("Any change re-populates the volume from a fresh copy of the image.")
    private String reprovisionToken;

    @Default("Copy")
    @JsonPropertyDescription("Copy (default): the image is copied in full into the volume. Overlay: a thin copy-on-write "
            + "qcow2 layer over the node's verified cached image, Ready in about a second; the cached image stays pinned "
            + "while the volume exists. Overlay needs a file-based (dir) pool: LVM pools refuse it. Changes only together "
            + "with a new reprovisionToken.")
    private Provisioning provisioning;

    @Default("Delete")
    @JsonPropertyDescription("Delete (default): deleting the RootVolume deletes the volume on its node; Retain: the volume stays.")
    private DeletionPolicy deletionPolicy;

    public CloneSource getSource() {
        return source;
    }

    public void setSource(CloneSource source) {
        this.source = source;
    }

    public ImageSource getImage() {
        return image;
    }

    public void setImage(ImageSource image) {
        this.image = image;
    }

    public Quantity getSize() {
        return size;
    }

    public void setSize(Quantity size) {
        this.size = size;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public String getStorage() {
        return storage;
    }

    public void setStorage(String storage) {
        this.storage = storage;
    }

    public String getReprovisionToken() {
        return reprovisionToken;
    }

    public void setReprovisionToken(String reprovisionToken) {
        this.reprovisionToken = reprovisionToken;
    }

    public Provisioning getProvisioning() {
        return provisioning;
    }

    public void setProvisioning(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }
}
