package io.virtfleet.operator.secrets;

/**
 * Secret values the cloud-init seed needs, read by {@link SeedSecretsReader}; never logged (the contract's
 * {@code CloudInitSeed#toString} masks them).
 */
public record SeedSecrets(String rootPasswordHash, String extraUserData) {
    public static SeedSecrets none() {
        return new SeedSecrets(null, null);
    }
}
