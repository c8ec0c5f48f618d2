package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One image location a TenantPolicy allows. */
public class ImageSourceRule {
    @Required
    @Size(max = 1024)
    @Pattern(Patterns.IMAGE_URL_PREFIX)
    @JsonPropertyDescription("Image URLs starting with this prefix are allowed, e.g. s3://images/debian/ or "
            + "https://cloud.debian.org/images/. End it with '/' to allow one folder: a prefix matches text, not path segments.")
    private String urlPrefix;

    @JsonPropertyDescription("When true, s3:// and minio:// images under this prefix that name no credentialsSecret are "
            + "fetched with the platform's own S3 credentials. Default false.")
    private Boolean platformCredentials;

    public ImageSourceRule() {
    }

    public ImageSourceRule(String urlPrefix, boolean platformCredentials) {
        this.urlPrefix = urlPrefix;
        this.platformCredentials = platformCredentials;
    }

    public String getUrlPrefix() {
        return urlPrefix;
    }

    public void setUrlPrefix(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    public Boolean getPlatformCredentials() {
        return platformCredentials;
    }

    public void setPlatformCredentials(Boolean platformCredentials) {
        this.platformCredentials = platformCredentials;
    }
}
