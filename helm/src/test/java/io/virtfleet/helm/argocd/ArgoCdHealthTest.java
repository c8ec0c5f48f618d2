package io.virtfleet.helm.argocd;

import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's Argo CD health scripts (one per kind), run by a real Lua interpreter against the health_test.yaml cases of each kind. */
class ArgoCdHealthTest {
    /** Argo CD's layout: resource_customizations/<group>/<kind>/health.lua beside health_test.yaml and testdata/. */
    static final Path CUSTOMIZATIONS = RepoFiles.CHART.resolve("argocd/resource_customizations/virtfleet.io");

    static Path script(String kind) {
        return CUSTOMIZATIONS.resolve(kind).resolve("health.lua");
    }

    static List<HealthTestCase> cases() {
        return Stream.of("VirtualMachine", "RootVolume")
                .flatMap(kind -> HealthTestCase.load(CUSTOMIZATIONS.resolve(kind)).stream())
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void healthMatchesTheExpectedStatusAndMessage(HealthTestCase testCase) throws IOException {
        HealthStatus actual = new LuaHealthCheck(script(testCase.kind())).evaluate(testCase.resource());

        assertThat(actual).isEqualTo(testCase.expected());
    }
}
