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
