package io.virtfleet.helm.argocd;

import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's Argo CD health script, run by a real Lua interpreter against the health_test.yaml cases of each kind. */
class ArgoCdHealthTest {
    static final Path SCRIPT = RepoFiles.CHART.resolve("argocd/virtfleet.io/health.lua");
    private static final Path CASES = Path.of("src/test/resources/argocd");

    static List<HealthTestCase> cases() {
        return Stream.of("VirtualMachine", "RootVolume")
                .flatMap(kind -> HealthTestCase.load(CASES.resolve(kind)).stream())
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void healthMatchesTheExpectedStatusAndMessage(HealthTestCase testCase) throws IOException {
        HealthStatus actual = new LuaHealthCheck(SCRIPT).evaluate(testCase.resource());

        assertThat(actual).isEqualTo(testCase.expected());
    }
}
