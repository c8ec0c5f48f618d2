package io.virtfleet.stack;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sensitive values of a VM's cloud-init seed, fresh for each test so that finding one somewhere is never a
 * coincidence: a root password hash and extra user-data carrying a marker.
 *
 * @param secretName   the Secret in the VM's namespace that holds both
 * @param passwordHash crypt-style hash (key {@link #HASH_KEY})
 * @param marker       unique text inside the extra user-data (key {@link #USER_DATA_KEY})
 */
record SeedSecrets(String secretName, String passwordHash, String marker) {
    static final String HASH_KEY = "root-password-hash";
    static final String USER_DATA_KEY = "user-data";

    static SeedSecrets random(String secretName) {
        String salt = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String digest = UUID.randomUUID().toString().replace("-", "");
        return new SeedSecrets(secretName, "$6$" + salt + "$" + digest,
                "e2e-user-data-" + UUID.randomUUID().toString().substring(0, 13));
    }

    /** Extra cloud-config: a file whose content is the marker (merged by the agent into the generated user-data). */
    String userData() {
        return """
                #cloud-config
                write_files:
                - path: /etc/virtfleet-e2e
                  content: %s
                """.formatted(marker);
    }

    Map<String, String> secretData() {
        return Map.of(HASH_KEY, passwordHash, USER_DATA_KEY, userData());
    }

    /** What must never appear outside the Secret and the seed: each value, and the hash's random parts alone. */
    List<String> sensitive() {
        String[] hashParts = passwordHash.split("\\$");
        return List.of(passwordHash, hashParts[2], hashParts[3], marker);
    }
}
