package io.virtfleet.operator.secrets;

import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.crds.v1alpha1.VirtualMachine;

/**
 * Reads the cloud-init seed's Secret values (password hash, extra user-data) from Secrets that opted in with
 * {@value #OPT_IN_LABEL}: "true", and checks the hash's form.
 */
public final class SeedSecretsReader {
    private final SecretValues secrets;

    public SeedSecretsReader(SecretValues secrets) {
        this.secrets = secrets;
    }

    /** A Secret value that is present but unusable; the message names the field, never the value. */
    public static final class InvalidSecret extends Exception {
        InvalidSecret(String message) {
            super(message);
        }
    }

    /** The label a Secret must carry ("true") before its values go into a seed. */
    public static final String OPT_IN_LABEL = "virtfleet.io/cloud-init";

    public SeedSecrets read(VirtualMachine vm) throws SecretValues.MissingSecret, InvalidSecret, SecretValues.SecretNotOptedIn {
        CloudInit cloudInit = vm.getSpec().getCloudInit();
        if (cloudInit == null) {
            return SeedSecrets.none();
        }
        String namespace = vm.getMetadata().getNamespace();
        String hash = secrets.readOptedIn(namespace, cloudInit.getRootPasswordHash(),
                        "spec.cloudInit.rootPasswordHash", OPT_IN_LABEL)
                .map(String::strip).orElse(null);
        if (hash != null && !hash.matches(Patterns.PASSWORD_HASH)) {
            throw new InvalidSecret("spec.cloudInit.rootPasswordHash: the value in Secret "
                    + cloudInit.getRootPasswordHash().getName() + " key " + cloudInit.getRootPasswordHash().getKey()
                    + " is not a crypt hash (it must start with $, e.g. $6$...)");
        }
        String userData = secrets.readOptedIn(namespace, cloudInit.getUserData(), "spec.cloudInit.userData",
                OPT_IN_LABEL).orElse(null);
        return new SeedSecrets(hash, userData);
    }
}
