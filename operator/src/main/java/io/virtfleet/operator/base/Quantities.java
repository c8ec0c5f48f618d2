package io.virtfleet.operator.base;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;

/** Byte counts of Kubernetes quantities; an absent or malformed quantity counts as 0 (the spec check rejects it). */
public final class Quantities {
    private Quantities() {
    }

    public static long bytes(Quantity quantity) {
        return exact(quantity).longValue();
    }

    /** A byte count as a quantity in the largest binary unit that divides it: 256Mi, 2Gi, 1536Ki, 1000. */
    public static Quantity ofBytes(long bytes) {
        String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
        for (int i = 0; i < units.length && bytes != 0; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes % unit == 0) {
                return new Quantity(bytes / unit + units[i]);
            }
        }
        return new Quantity(Long.toString(bytes));
    }

    public static BigDecimal exact(Quantity quantity) {
        if (quantity == null) {
            return BigDecimal.ZERO;
        }
        try {
            return quantity.getNumericalAmount();
        } catch (IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }
}
