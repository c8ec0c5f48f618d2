package io.virtfleet.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host device fields as an API server would enforce them (the mock API does not): VirtualMachine
 * {@code spec.hostDevices[]} and TenantPolicy {@code spec.hostDevices}, through a real CEL evaluator on the committed
 * CRDs, and the estimated cost of their rules.
 */
class HostDeviceCrdRulesTest {
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator POLICY = CrdSchemaValidator.forCommittedCrd("tenantpolicies.virtfleet.io-v1.yml");

    private static final String VALID_VM = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachine
            metadata: {name: gpu01}
            spec:
              vcpus: 2
              memory: 4Gi
              rootVolume: {name: gpu01-root}
              hostDevices:
              - {name: gpu0, resourceName: gpu.example.com/t4}
              - {name: gpu1, resourceName: gpu.example.com/t4}
            """;

    private static final String VALID_POLICY = """
            apiVersion: virtfleet.io/v1alpha1
            kind: TenantPolicy
            metadata: {name: team-a}
            spec: {namespaceSelector: {}, hostDevices: [gpu.example.com/t4, nic.example.com/cx6-vf]}
            """;

    @Test
    void validObjectsPass() {
        assertThat(VM.violations(VALID_VM)).isEmpty();
        assertThat(POLICY.violations(VALID_POLICY)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            two devices with one name    | 'name: gpu1'                 | 'name: gpu0'                  | hostDevices[].name must be unique
            name with an upper case      | 'name: gpu1'                 | 'name: GPU1'                  | name: does not match
            resource without a domain    | 'gpu1, resourceName: gpu.example.com/t4' | 'gpu1, resourceName: t4' | resourceName: does not match
            resource as a wildcard       | 'gpu1, resourceName: gpu.example.com/t4' | 'gpu1, resourceName: "gpu.example.com/*"' | resourceName: does not match
            resource with a quote        | 'gpu1, resourceName: gpu.example.com/t4' | 'gpu1, resourceName: "gpu.example.com/t4''"' | resourceName: does not match
            """)
    void eachBrokenDeviceIsRefusedByItsRule(String what, String valid, String broken, String expected) {
        VM.assertRefusesEdit(what, VALID_VM, valid, broken, expected);
    }

    @Test
    void atMostEightDevicesPerVm() {
        StringBuilder many = new StringBuilder(VALID_VM.substring(0, VALID_VM.indexOf("  hostDevices:")) + "  hostDevices:\n");
        for (int i = 0; i < 9; i++) {
            many.append("  - {name: gpu").append(i).append(", resourceName: gpu.example.com/t4}\n");
        }
        assertThat(VM.violations(many.toString())).anySatisfy(v -> assertThat(v).contains("spec.hostDevices: more than 8 items"));
    }

    @Test
    void policyEntriesMustBeResourceNames() {
        for (String entry : List.of("\"*\"", "t4", "\"gpu.example.com/*\"", "\"Gpu.example.com/t4\"")) {
            assertThat(POLICY.violations(VALID_POLICY.replace("nic.example.com/cx6-vf", entry))).as(entry)
                    .anySatisfy(v -> assertThat(v).contains("hostDevices entries must be resource names"));
        }
    }

    @Test
    void theNewRulesAreEstimatedWithinTheApiServersPerRuleBudget() {
        for (String file : List.of("virtualmachines.virtfleet.io-v1.yml", "tenantpolicies.virtfleet.io-v1.yml")) {
            List<CelCostEstimator.RuleCost> costs = CelCostEstimator.estimate(CrdCostBudgetTest.root(file)).stream()
                    .filter(c -> c.path().contains("hostDevices")).toList();
            assertThat(costs).as("hostDevices rules of %s", file).isNotEmpty().allSatisfy(c ->
                    assertThat(c.total()).as(c.rule()).isLessThanOrEqualTo(CelCostEstimator.PER_RULE_LIMIT));
        }
    }
}
