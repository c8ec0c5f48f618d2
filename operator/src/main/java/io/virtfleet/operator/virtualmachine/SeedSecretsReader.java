package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.spec.SecretValues;
import io.virtfleet.operator.spec.SecretValues.MissingSecret;

/** Reads the cloud-init seed's Secret values (password hash, extra user-data) and checks the hash's form. */
final class SeedSecretsReader {
    private final SecretValues secrets;

    SeedSecretsReader(SecretValues secrets) {
        this.secrets = secrets;
    }

    /** A Secret value that is present but unusable; the message names the field, never the value. */
    static final class InvalidSecret extends Exception {
        InvalidSecret(String message) {
            super(message);
        }
    }

    DomainRequestMapper.SeedSecrets read(VirtualMachine vm) throws MissingSecret, InvalidSecret {
        CloudInit cloudInit = vm.getSpec().getCloudInit();
        if (cloudInit == null) {
            return DomainRequestMapper.SeedSecrets.none();
        }
        String namespace = vm.getMetadata().getNamespace();
        String hash = secrets.read(namespace, cloudInit.getRootPasswordHash(), "spec.cloudInit.rootPasswordHash")
                .map(String::strip).orElse(null);
        if (hash != null && !hash.matches(Patterns.PASSWORD_HASH)) {
            throw new InvalidSecret("spec.cloudInit.rootPasswordHash: the value in Secret "
                    + cloudInit.getRootPasswordHash().getName() + " key " + cloudInit.getRootPasswordHash().getKey()
                    + " is not a crypt hash (it must start with $, e.g. $6$...)");
        }
        String userData = secrets.read(namespace, cloudInit.getUserData(), "spec.cloudInit.userData").orElse(null);
        return new DomainRequestMapper.SeedSecrets(hash, userData);
    }
}
