package io.virtfleet.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TenantPolicy CRD as an API server would enforce it (the mock API server does not): cluster scope, its rules
 * through a real CEL evaluator, and bounds on every string and list so the CEL cost estimate stays small.
 */
class TenantPolicyCrdTest {
    private static final String FILE = "tenantpolicies.virtfleet.io-v1.yml";
    private static final CrdSchemaValidator POLICY = CrdSchemaValidator.forCommittedCrd(FILE);

    private static final String VALID = """
            apiVersion: virtfleet.io/v1alpha1
            kind: TenantPolicy
            metadata: {name: team-a}
            spec:
              namespaceSelector:
                matchLabels: {team: a}
                matchExpressions:
                - {key: tier, operator: In, values: [prod, dev]}
              bridges: [br0, br-tenant]
              storagePools: [fast-ssd]
              kernelBootDirectories: [/srv/kernels]
              imageSources:
              - {urlPrefix: "s3://images/debian/", platformCredentials: true}
              - {urlPrefix: "https://cloud.debian.org/images/"}
              quota: {vcpus: 64, memory: 256Gi, storage: 2Ti}
            """;

    private static CustomResourceDefinition crd() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(FILE))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    @Test
    void clusterScopedWithItsShortName() throws IOException {
        CustomResourceDefinition crd = crd();
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vftp");
        assertThat(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getRequired()).containsExactly("namespaceSelector");
    }

    @Test
    void aCompleteValidPolicyPassesAndEveryRuleCompiles() {
        assertThat(POLICY.allRules()).hasSizeGreaterThanOrEqualTo(5).allSatisfy(CrdSchemaValidator::compile);
        assertThat(POLICY.violations(VALID)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no selector                | '  namespaceSelector:\\n    matchLabels: {team: a}\\n    matchExpressions:\\n    - {key: tier, operator: In, values: [prod, dev]}' | '  unused: {}' | namespaceSelector: required
            bad selector operator      | 'operator: In'                       | 'operator: Like'                    | operator: does not match
            bridge name too long       | 'br-tenant'                          | 'br-tenant-much-too-long'           | bridges entries must be interface names
            bridge with a slash        | 'br-tenant'                          | 'br/0'                              | bridges entries must be interface names
            pool with a slash          | 'fast-ssd'                           | 'fast/ssd'                          | storagePools entries must be pool names
            relative kernel dir        | '/srv/kernels'                       | 'srv/kernels'                       | kernelBootDirectories entries must be absolute
            kernel dir with dot-dot    | '/srv/kernels'                       | '/srv/../etc'                       | kernelBootDirectories entries must be absolute
            kernel dir ending in dot   | '/srv/kernels'                       | '/srv/.'                            | kernelBootDirectories entries must be absolute
            prefix without host        | 's3://images/debian/'                | 's3://'                             | urlPrefix: does not match
            prefix of another scheme   | 'https://cloud.debian.org/images/'   | 'file:///etc/'                      | urlPrefix: does not match
            negative vcpu quota        | 'vcpus: 64'                          | 'vcpus: -1'                         | vcpus: below
            memory quota not a quantity| 'memory: 256Gi'                      | 'memory: lots'                      | memory must be a quantity
            """)
    void eachBrokenRuleIsReportedByItsRule(String what, String valid, String broken, String expected) {
        POLICY.assertRefusesEdit(what, VALID, valid, broken, expected);
    }

    @Test
    void listsAndStringsAreBounded() {
        String yaml = VALID.replace("[br0, br-tenant]", "[" + String.join(", ", java.util.Collections.nCopies(65, "br0"))
                + "]").replace("s3://images/debian/", "s3://images/" + "d".repeat(1100));
        assertThat(POLICY.violations(yaml))
                .anySatisfy(v -> assertThat(v).contains(".spec.bridges: more than 64 items"))
                .anySatisfy(v -> assertThat(v).contains("urlPrefix: longer than 1024"));
    }

    /**
     * The API server estimates each CEL rule's cost from the largest list and string it could see; unbounded ones
     * make that estimate explode. Every string (except int-or-string quantities, whose rules are a single match) and
     * every list in the schema has a bound, and every map a maxProperties.
     */
    @Test
    void everyStringListAndMapHasABound() throws IOException {
        JSONSchemaProps spec = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec");
        List<String> unbounded = new ArrayList<>();
        collectUnbounded(spec, "spec", unbounded);
        assertThat(unbounded).isEmpty();
    }

    private static void collectUnbounded(JSONSchemaProps schema, String path, List<String> out) {
        if ("string".equals(schema.getType()) && schema.getMaxLength() == null && schema.getEnum() == null) {
            out.add(path + " (string without maxLength)");
        }
        if ("array".equals(schema.getType())) {
            if (schema.getMaxItems() == null) {
                out.add(path + " (list without maxItems)");
            }
            collectUnbounded(schema.getItems().getSchema(), path + "[]", out);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            if (schema.getMaxProperties() == null) {
                out.add(path + " (map without maxProperties)");
            }
            collectUnbounded(schema.getAdditionalProperties().getSchema(), path + "{}", out);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> collectUnbounded(child, path + "." + name, out));
        }
    }
}
