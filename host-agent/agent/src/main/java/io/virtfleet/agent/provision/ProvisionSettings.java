package io.virtfleet.agent.provision;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standalone provisioning call's settings ({@code VIRTFLEET_AGENT_PROVISION_*}).
 *
 * @param enabled       {@code PROVISION_API}: whether {@code POST /api/v1/provision} exists at all (off by default:
 *                      404 as if absent)
 * @param imagePrefixes {@code PROVISION_IMAGE_PREFIXES}: where its images may come from; empty refuses every image
 * @param waitCeiling   {@code PROVISION_WAIT_SECONDS}: how long one call waits for the population before it answers
 *                      202 with the progress (repeating the call waits on the same population). The agent's own
 *                      server holds a longer call open (measured: 35 s); the default stays below the 60 s read
 *                      timeout common proxies use (nginx's {@code proxy_read_timeout})
 */
public record ProvisionSettings(boolean enabled, ProvisionImagePrefixes imagePrefixes, Duration waitCeiling) {
    public static final Duration DEFAULT_WAIT_CEILING = Duration.ofSeconds(50);
    public static final ProvisionSettings DISABLED = new ProvisionSettings(false, ProvisionImagePrefixes.NONE,
            DEFAULT_WAIT_CEILING);

    public ProvisionSettings {
        if (waitCeiling.isNegative()) {
            throw new IllegalArgumentException("the provision wait ceiling must not be negative: " + waitCeiling);
        }
    }

    /** Enabled, with these image prefixes and the default wait ceiling. */
    public static ProvisionSettings enabled(String... imagePrefixes) {
        return new ProvisionSettings(true, ProvisionImagePrefixes.parse(String.join(",", imagePrefixes)),
                DEFAULT_WAIT_CEILING);
    }

    public ProvisionSettings withWaitCeiling(Duration ceiling) {
        return new ProvisionSettings(enabled, imagePrefixes, ceiling);
    }

    /** Reads the settings ({@code vars} answers names without the {@code VIRTFLEET_AGENT_} prefix). */
    public static ProvisionSettings fromEnvironment(Function<String, Optional<String>> vars) {
        return new ProvisionSettings(vars.apply("PROVISION_API").map(Boolean::parseBoolean).orElse(false),
                ProvisionImagePrefixes.parse(vars.apply("PROVISION_IMAGE_PREFIXES").orElse("")),
                vars.apply("PROVISION_WAIT_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(DEFAULT_WAIT_CEILING));
    }
}
