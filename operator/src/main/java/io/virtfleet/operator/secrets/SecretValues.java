package io.virtfleet.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.agent.contract.ImageCredentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads single values out of Secrets in an object's namespace. Values go only into agent requests: messages name the
 * Secret and key, never the value, and nothing here logs.
 */
public final class SecretValues {
    private final KubernetesClient client;

    public SecretValues(KubernetesClient client) {
        this.client = client;
    }

    /** Thrown when a referenced Secret or key is missing; the message names both and says which field refers. */
    public static final class MissingSecret extends Exception {
        public MissingSecret(String message) {
            super(message);
        }
    }

    /** Thrown when a Secret lacks the label that lets VirtFleet hand its values to a guest. */
    public static final class SecretNotOptedIn extends Exception {
        public SecretNotOptedIn(String message) {
            super(message);
        }
    }

    /**
     * The value of a Secret that opted in with {@code label: "true"}: whoever may create a VM must not be able to
     * copy any Secret of the namespace (a token, a key) into a guest they control.
     */
    public Optional<String> readOptedIn(String namespace, SecretKeySelector selector, String field, String label)
            throws MissingSecret, SecretNotOptedIn {
        if (selector == null) {
            return Optional.empty();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(selector.getName()).get();
        if (secret != null && (secret.getMetadata().getLabels() == null
                || !"true".equals(secret.getMetadata().getLabels().get(label)))) {
            throw new SecretNotOptedIn(field + ": Secret " + selector.getName() + " lacks the label " + label
                    + "=\"true\"; label it (kubectl label secret " + selector.getName() + " " + label
                    + "=true) to let VirtFleet put its values into a VM's cloud-init seed");
        }
        return read(namespace, selector, field);
    }

    /** The value, or empty when {@code selector} is null or an optional key is absent. */
    public Optional<String> read(String namespace, SecretKeySelector selector, String field) throws MissingSecret {
        if (selector == null) {
            return Optional.empty();
        }
        boolean optional = Boolean.TRUE.equals(selector.getOptional());
        Secret secret = client.secrets().inNamespace(namespace).withName(selector.getName()).get();
        if (secret == null) {
            if (optional) {
                return Optional.empty();
            }
            throw new MissingSecret(field + ": Secret " + selector.getName() + " does not exist in namespace "
                    + namespace);
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(selector.getKey());
        if (encoded != null) {
            return Optional.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        }
        String plain = secret.getStringData() == null ? null : secret.getStringData().get(selector.getKey());
        if (plain != null) {
            return Optional.of(plain);
        }
        if (optional) {
            return Optional.empty();
        }
        throw new MissingSecret(field + ": Secret " + selector.getName() + " has no key " + selector.getKey());
    }

    /** Object-store credentials: keys {@code accessKey} and {@code secretKey} of the named Secret. */
    public Optional<ImageCredentials> credentials(String namespace, String secretName, String field)
            throws MissingSecret {
        if (secretName == null) {
            return Optional.empty();
        }
        String access = read(namespace, new SecretKeySelector("accessKey", secretName, false), field).orElseThrow();
        String secret = read(namespace, new SecretKeySelector("secretKey", secretName, false), field).orElseThrow();
        return Optional.of(new ImageCredentials(access, secret));
    }
}
