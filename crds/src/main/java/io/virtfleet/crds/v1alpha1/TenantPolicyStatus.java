package io.virtfleet.crds.v1alpha1;

/**
 * Empty: a TenantPolicy is read by the operator, never acted upon, so it has nothing to report; the objects it
 * refuses say so in their own conditions. Declared so the schema can describe it.
 */
public class TenantPolicyStatus {
}
