package io.virtfleet.operator.spec;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.operator.base.Quantities;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects what is wrong with a spec, field by field, with the same patterns as the CRD schema (a spec may reach the
 * operator without the API server's checks: an older CRD, a permissive server). The first problem becomes the
 * {@code InvalidSpec} message; all are listed.
 */
public final class FieldCheck {
    private final List<String> problems = new ArrayList<>();

    public FieldCheck require(boolean ok, String message) {
        if (!ok) {
            problems.add(message);
        }
        return this;
    }

    public FieldCheck pattern(String value, String pattern, String field) {
        return require(value == null || Pattern.compile(pattern).matcher(value).find(),
                field + " '" + value + "' does not match " + pattern);
    }

    public FieldCheck positive(Quantity quantity, String field, String example) {
        return require(quantity != null && Quantities.exact(quantity).signum() > 0,
                field + " must be a positive quantity, e.g. " + example);
    }

    /** An absent value (null) is never a duplicate: e.g. the MACs of DHCP NICs, derived later from the VM's UID. */
    public FieldCheck unique(List<String> values, String field) {
        Set<String> seen = new HashSet<>();
        values.stream().filter(java.util.Objects::nonNull).filter(v -> !seen.add(v)).findFirst()
                .ifPresent(v -> problems.add(field + " must be unique; '" + v + "' appears twice"));
        return this;
    }

    public Optional<Problem> result(String reason) {
        return problems.isEmpty() ? Optional.empty() : Optional.of(new Problem(reason, String.join("; ", problems)));
    }
}
