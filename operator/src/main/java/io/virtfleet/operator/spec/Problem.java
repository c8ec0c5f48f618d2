package io.virtfleet.operator.spec;

/** Why a spec cannot be acted on: a condition reason and a message naming the field. */
public record Problem(String reason, String message) {
}
