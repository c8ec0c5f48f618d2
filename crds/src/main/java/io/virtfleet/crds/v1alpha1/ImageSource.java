package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a root volume's base image comes from and how it is verified: a URL (with digest, credentials and format), or
 * the name of a catalogue image (VirtualMachineImage) that says all of these for the platform.
 */
@ValidationRule(value = "has(self.url) != has(self.catalog)", message = "set exactly one of url and catalog")
@ValidationRule(value = "!has(self.catalog) || (!has(self.sha256) && !has(self.credentialsSecret) && !has(self.format))",
        message = "a catalog image takes its sha256, credentialsSecret and format from the VirtualMachineImage")
public class ImageSource {
    @Size(max = 2048)
    @Pattern("^(s3|minio|https?)://.+$")
    @JsonPropertyDescription("Image location: s3://bucket/key, minio://bucket/key or https://host/path.")
    private String url;

    @Size(max = 64)
    @Pattern(Patterns.SHA256)
    @JsonPropertyDescription("Expected SHA-256 of the image (lower-case hex). When empty the agent reads <url>.sha256.")
    private String sha256;

    @Size(max = 253)
    @JsonPropertyDescription("Name of a Secret in the same namespace holding accessKey and secretKey for the object store.")
    private String credentialsSecret;

    @JsonPropertyDescription("Declared image format, qcow2 or raw; the host agent refuses an image whose content is in "
            + "another format (UnsafeImage). Empty accepts either.")
    private ImageFormat format;

    @Size(max = 63)
    @Pattern(Patterns.CATALOG_IMAGE_NAME)
    @JsonPropertyDescription("Name of a VirtualMachineImage of the platform's catalogue to use instead of a url; allowed "
            + "where the image's namespaceSelector selects this namespace.")
    private String catalog;

    public ImageSource() {
    }

    public ImageSource(String url, String sha256) {
        this.url = url;
        this.sha256 = sha256;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** A reference to a catalogue image by name. */
    public static ImageSource catalog(String name) {
        ImageSource image = new ImageSource();
        image.setCatalog(name);
        return image;
    }

    public String getCatalog() {
        return catalog;
    }

    public void setCatalog(String catalog) {
        this.catalog = catalog;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public String getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(String credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }

    public ImageFormat getFormat() {
        return format;
    }

    public void setFormat(ImageFormat format) {
        this.format = format;
    }
}
