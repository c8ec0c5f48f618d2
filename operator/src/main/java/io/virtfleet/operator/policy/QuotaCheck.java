package io.virtfleet.operator.policy;

import io.virtfleet.crds.v1alpha1.TenantQuota;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quota admission for an object that is not placed yet. Placed objects always count (they keep running whatever the
 * quota says now); the others are admitted one by one in a fixed order — creationTimestamp, then kind, then name —
 * while they fit, so every reconcile of every object in the namespace reaches the same verdict.
 */
public final class QuotaCheck {
    private QuotaCheck() {
    }

    /** What an object takes from its namespace's quota. */
    public record Footprint(long vcpus, long memoryBytes, long storageBytes) {
        public static final Footprint NONE = new Footprint(0, 0, 0);

        Footprint plus(Footprint other) {
            return new Footprint(vcpus + other.vcpus, memoryBytes + other.memoryBytes,
                    storageBytes + other.storageBytes);
        }
    }

    /** One object of the namespace as quota sees it. */
    public record Claim(String kind, String name, Instant created, boolean placed, Footprint footprint) {
        String key() {
            return kind + "/" + name;
        }
    }

    private static final Comparator<Claim> ORDER = Comparator
            .comparing((Claim c) -> c.created() == null ? Instant.MAX : c.created())
            .thenComparing(Claim::kind).thenComparing(Claim::name);

    /**
     * @param candidate the object to place (not placed)
     * @param others    the namespace's objects; an entry for the candidate itself is ignored
     */
    public static Optional<Problem> admit(Claim candidate, List<Claim> others, EffectivePolicy policy) {
        if (policy.quotas().isEmpty() || candidate.placed()) {
            return Optional.empty();
        }
        Footprint used = Footprint.NONE;
        List<Claim> waiting = new ArrayList<>();
        for (Claim claim : others) {
            if (claim.key().equals(candidate.key())) {
                continue;
            }
            if (claim.placed()) {
                used = used.plus(claim.footprint());
            } else {
                waiting.add(claim);
            }
        }
        waiting.add(candidate);
        waiting.sort(ORDER);
        for (Claim claim : waiting) {
            Footprint after = used.plus(claim.footprint());
            Optional<String> exceeded = exceeded(after, policy.quotas());
            if (claim == candidate) {
                Footprint before = used;
                return exceeded.map(which -> new Problem(Reason.QUOTA_EXCEEDED, which + "; namespace "
                        + policy.namespace() + " holds " + describe(before) + " in objects placed or ahead in line "
                        + "(by creation time), this " + candidate.kind() + " needs " + describe(candidate.footprint())
                        + ". It is not placed; delete other objects or ask the platform team to raise the quota"));
            }
            if (exceeded.isEmpty()) {
                used = after;
            }
        }
        return Optional.empty();
    }

    /** The first quota (by policy name) the total would exceed, described with its figures. */
    private static Optional<String> exceeded(Footprint total, Map<String, TenantQuota> quotas) {
        return quotas.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            TenantQuota q = e.getValue();
            String policy = "TenantPolicy " + e.getKey() + " quota.";
            if (q.getVcpus() != null && total.vcpus() > q.getVcpus()) {
                return policy + "vcpus is " + q.getVcpus() + ", the total would be " + total.vcpus();
            }
            if (q.getMemory() != null && total.memoryBytes() > Quantities.bytes(q.getMemory())) {
                return policy + "memory is " + bytes(Quantities.bytes(q.getMemory())) + ", the total would be "
                        + bytes(total.memoryBytes());
            }
            if (q.getStorage() != null && total.storageBytes() > Quantities.bytes(q.getStorage())) {
                return policy + "storage is " + bytes(Quantities.bytes(q.getStorage())) + ", the total would be "
                        + bytes(total.storageBytes());
            }
            return null;
        }).filter(java.util.Objects::nonNull).findFirst();
    }

    private static String describe(Footprint f) {
        return f.vcpus() + " vCPUs, " + bytes(f.memoryBytes()) + " memory, " + bytes(f.storageBytes()) + " storage";
    }

    static String bytes(long value) {
        for (String[] unit : new String[][]{{"Ti", "40"}, {"Gi", "30"}, {"Mi", "20"}, {"Ki", "10"}}) {
            long size = 1L << Integer.parseInt(unit[1]);
            if (value != 0 && value % size == 0) {
                return value / size + unit[0];
            }
        }
        return String.valueOf(value);
    }
}
