package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.virtfleet.crds.v1alpha1.schema.LabelSelectorSchema;

/**
 * What a catalogue image is and who may use it. The URL and credentials are the platform's: a RootVolume naming the
 * image never sees them, and TenantPolicy imageSources do not apply to it (the namespaceSelector does).
 */
public class VirtualMachineImageSpec {
    @Required
    @Size(max = 2048)
    @Pattern(Patterns.IMAGE_URL)
    @JsonPropertyDescription("Image location: s3://bucket/key, minio://bucket/key or https://host/path.")
    private String url;

    @Size(max = 64)
    @Pattern(Patterns.SHA256)
    @JsonPropertyDescription("Expected SHA-256 of the image (lower-case hex). When empty the agent reads <url>.sha256.")
    private String sha256;

    @JsonPropertyDescription("Declared image format, qcow2 or raw; the host agent refuses an image whose content is in "
            + "another format (UnsafeImage). Empty accepts either.")
    private ImageFormat format;

    @Size(max = 63)
    @Pattern(Patterns.CATALOG_IMAGE_NAME)
    @JsonPropertyDescription("Name of a Secret in the operator's own namespace holding accessKey and secretKey for the "
            + "object store. Tenants never read it. Empty: the host agents' own object-store credentials.")
    private String credentialsSecret;

    @Required
    @SchemaFrom(type = LabelSelectorSchema.class)
    @JsonPropertyDescription("Namespaces whose RootVolumes may name this image, by their labels ({} selects every "
            + "namespace; kubernetes.io/metadata.name selects one by name).")
    private LabelSelector namespaceSelector;

    @JsonPropertyDescription("Download the image ahead of any VM to the nodes a selector picks, and keep it there.")
    private ImagePrefetch prefetch;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    public ImageFormat getFormat() { return format; }
    public void setFormat(ImageFormat format) { this.format = format; }
    public String getCredentialsSecret() { return credentialsSecret; }
    public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
    public LabelSelector getNamespaceSelector() { return namespaceSelector; }
    public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
    public ImagePrefetch getPrefetch() { return prefetch; }
    public void setPrefetch(ImagePrefetch prefetch) { this.prefetch = prefetch; }
}
