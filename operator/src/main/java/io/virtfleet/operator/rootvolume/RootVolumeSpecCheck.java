package io.virtfleet.operator.rootvolume;

import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.operator.status.Reason;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a RootVolume spec in code, after the API server's schema: a spec that slipped past (an older CRD, a
 * permissive API server) is rejected with a message naming the field, and fields this version does not implement
 * yet are refused rather than silently ignored.
 */
public final class RootVolumeSpecCheck {
    private RootVolumeSpecCheck() {
    }

    /** A reason and message when the spec cannot be acted on. */
    public record Problem(String reason, String message) {
    }

    public static Optional<Problem> check(RootVolumeSpec spec) {
        if (spec == null || spec.getImage() == null || spec.getImage().getUrl() == null) {
            return invalid("spec.image.url is required");
        }
        if (spec.getSize() == null || sizeBytes(spec).signum() <= 0) {
            return invalid("spec.size must be a positive quantity, e.g. 10Gi");
        }
        String sha = spec.getImage().getSha256();
        if (sha != null && !sha.matches("^[a-f0-9]{64}$")) {
            return invalid("spec.image.sha256 must be 64 lower-case hex digits");
        }
        List<String> unsupported = new ArrayList<>();
        if (spec.getImage().getCredentialsSecret() != null) {
            unsupported.add("spec.image.credentialsSecret");
        }
        if (spec.getNodeSelector() != null && !spec.getNodeSelector().isEmpty()) {
            unsupported.add("spec.nodeSelector");
        }
        if (spec.getReprovisionToken() != null) {
            unsupported.add("spec.reprovisionToken");
        }
        if (!unsupported.isEmpty()) {
            return Optional.of(new Problem(Reason.UNSUPPORTED_FIELD,
                    String.join(", ", unsupported) + " not implemented yet by this operator version; remove to proceed"));
        }
        return Optional.empty();
    }

    public static BigDecimal sizeBytes(RootVolumeSpec spec) {
        try {
            return spec.getSize().getNumericalAmount();
        } catch (IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(Reason.INVALID_SPEC, message));
    }
}
