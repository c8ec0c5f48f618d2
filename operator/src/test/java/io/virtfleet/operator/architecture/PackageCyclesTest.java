package io.virtfleet.operator.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's packages depend one way: top (the operator, reconcilers) to bottom (names, quantities). */
class PackageCyclesTest {
    private static final String OPERATOR = "io.virtfleet.operator";

    @Test
    void theOperatorsPackagesUseEachOtherInNoLoop() {
        PackageGraph graph = PackageGraph.ofSources(Path.of("src/main/java"), OPERATOR);

        assertThat(graph.uses()).containsKeys(OPERATOR + ".virtualmachine", OPERATOR + ".base");
        assertThat(graph.uses().get(OPERATOR + ".virtualmachine")).contains(OPERATOR + ".status");
        assertThat(graph.cycles()).as("packages that use each other in a loop").isEmpty();
    }

    @Test
    void theBottomPackageUsesNoOtherPackageOfTheOperator() {
        PackageGraph graph = PackageGraph.ofSources(Path.of("src/main/java"), OPERATOR);

        assertThat(graph.uses().get(OPERATOR + ".base")).isEmpty();
    }

    @Test
    void aLoopThroughThreePackagesIsFound() {
        PackageGraph graph = new PackageGraph(Map.of("agent", Set.of("status"), "status", Set.of("health"),
                "health", Set.of("agent"), "base", Set.of()));

        assertThat(graph.cycles()).containsExactly(Set.of("agent", "status", "health"));
    }
}
