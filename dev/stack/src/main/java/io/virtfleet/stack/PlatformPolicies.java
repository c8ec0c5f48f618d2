package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.virtfleet.crds.v1alpha1.ImageSourceRule;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;

import java.util.List;

/**
 * The TenantPolicies the local stack's platform team would write: every namespace may use the sample bucket with the
 * platform's S3 credentials, and nothing else beyond the safe defaults (no kernel boot, no bridges, the default pool).
 * Tests that need more create their own policy for their namespace.
 */
public final class PlatformPolicies {
    public static final String SAMPLE_IMAGES = "virtfleet-sample-images";

    private PlatformPolicies() {
    }

    public static TenantPolicy sampleImages() {
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.setNamespaceSelector(new LabelSelector());
        spec.setImageSources(List.of(new ImageSourceRule("s3://" + LocalStack.IMAGE_BUCKET + "/", true)));
        TenantPolicy policy = new TenantPolicy();
        policy.getMetadata().setName(SAMPLE_IMAGES);
        policy.setSpec(spec);
        return policy;
    }
}
