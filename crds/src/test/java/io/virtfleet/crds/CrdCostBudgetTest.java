package io.virtfleet.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every x-kubernetes-validations rule of the committed CRDs within the budget a real kube-apiserver checks when the CRD
 * is created (formulas and constants, and where they come from: {@link CelCostEstimator}). Run with
 * {@code -Dvirtfleet.crd.costs=print} to print the table of estimated costs.
 */
class CrdCostBudgetTest {
    static final List<String> FILES = List.of("rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml");

    static JSONSchemaProps root(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml"})
    void everyRuleAndTheTotalAreWithinTheApiServersBudget(String file) {
        List<CelCostEstimator.RuleCost> costs = CelCostEstimator.estimate(root(file));
        if ("print".equals(System.getProperty("virtfleet.crd.costs"))) {
            costs.forEach(c -> System.out.printf("%s | %s | %s | %d x %d = %d%n", file, c.path(), c.rule(),
                    c.expressionCost(), c.cardinality(), c.total()));
        }
        assertThat(costs).as("rules of %s", file).isNotEmpty();
        assertThat(costs).as("rules of %s above %,d", file, CelCostEstimator.PER_RULE_LIMIT)
                .allSatisfy(c -> assertThat(c.total()).as("%s: %s", c.path(), c.rule())
                        .isLessThanOrEqualTo(CelCostEstimator.PER_RULE_LIMIT));
        long total = costs.stream().mapToLong(CelCostEstimator.RuleCost::total).reduce(0, CelCostEstimator::add);
        assertThat(total).as("total estimated cost of %s", file).isLessThanOrEqualTo(CelCostEstimator.PER_CRD_LIMIT);
    }

    private static JSONSchemaProps stringList(Integer maxItems, Integer maxLength) {
        JSONSchemaProps item = new JSONSchemaProps();
        item.setType("string");
        item.setMaxLength(maxLength == null ? null : maxLength.longValue());
        JSONSchemaProps list = new JSONSchemaProps();
        list.setType("array");
        list.setMaxItems(maxItems == null ? null : maxItems.longValue());
        list.setItems(new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray(null, item));
        return list;
    }

    /** The estimator reproduces the figures of the apiserver's formulas on hand-computed cases. */
    @Test
    void estimatesFollowThePublishedFormulas() {
        // all() over 64 strings of at most 10 characters (40 bytes), regex of 8 bytes:
        // range 1 + init 0 + result 1 + 64 × (cond 2 + step (1 + ident 1 + matches ceil(41×0.1)=5 × ceil(8×0.25)=2))
        assertThat(CelCostEstimator.ruleCost("self.all(k, k.matches('^[a-z]+$'))", stringList(64, 10)))
                .isEqualTo(1 + 0 + 1 + 64 * (2 + 1 + 1 + 5 * 2));
        // the same list without maxLength: each string is estimated at 3 MiB - 2 bytes
        assertThat(CelCostEstimator.ruleCost("self.all(k, k.matches('^[a-z]+$'))", stringList(64, null)))
                .isEqualTo(1 + 0 + 1 + 64 * (2 + 1 + 1 + (long) Math.ceil((3 * 1024 * 1024 - 1) * 0.1) * 2));
        // equality of two strings of unknown size (split results) is unbounded
        assertThat(CelCostEstimator.ruleCost(
                "self.all(a, self.exists_one(b, a.split('/')[0] == b.split('/')[0]))", stringList(4, 10)))
                .isGreaterThan(CelCostEstimator.PER_RULE_LIMIT);
        // a list without maxItems of unbounded strings: (3 MiB - 2) / (2 + 1) items
        assertThat(CelCostEstimator.valueOfSize(stringList(null, null))).isEqualTo((3L * 1024 * 1024 - 2) / 3);
    }
}
