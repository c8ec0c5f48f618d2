package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.virtfleet.crds.v1alpha1.schema.SecretKeySelectorSchema;

import java.util.List;

/** What goes into the VM's cloud-init NoCloud seed. */
public class CloudInit {
    @Size(max = 253)
    @Pattern(Patterns.FQDN)
    @JsonPropertyDescription("Fully qualified host name of the guest.")
    private String fqdn;

    @Size(max = 64)
    @ValidationRule(value = Patterns.SSH_KEY_LIST_RULE, message = "sshAuthorizedKeys entries must be OpenSSH public keys (ssh-ed25519, ssh-rsa, ecdsa-sha2-..., sk-...)")
    @JsonPropertyDescription("SSH public keys authorized for root (at most 64, each at most 4096 characters).")
    private List<@Size(max = 4096) String> sshAuthorizedKeys;

    @SchemaFrom(type = SecretKeySelectorSchema.class)
    @JsonPropertyDescription("Secret key holding the root password hash (crypt format, starting with $).")
    private SecretKeySelector rootPasswordHash;

    @SchemaFrom(type = SecretKeySelectorSchema.class)
    @JsonPropertyDescription("Secret key holding extra cloud-config user-data merged into the generated one.")
    private SecretKeySelector userData;

    public String getFqdn() {
        return fqdn;
    }

    public void setFqdn(String fqdn) {
        this.fqdn = fqdn;
    }

    public List<String> getSshAuthorizedKeys() {
        return sshAuthorizedKeys;
    }

    public void setSshAuthorizedKeys(List<String> sshAuthorizedKeys) {
        this.sshAuthorizedKeys = sshAuthorizedKeys;
    }

    public SecretKeySelector getRootPasswordHash() {
        return rootPasswordHash;
    }

    public void setRootPasswordHash(SecretKeySelector rootPasswordHash) {
        this.rootPasswordHash = rootPasswordHash;
    }

    public SecretKeySelector getUserData() {
        return userData;
    }

    public void setUserData(SecretKeySelector userData) {
        this.userData = userData;
    }
}
