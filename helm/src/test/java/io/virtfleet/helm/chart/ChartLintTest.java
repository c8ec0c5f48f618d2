package io.virtfleet.helm.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** `helm lint --strict`: warnings (missing fields, deprecated APIs, schema problems) fail the build. */
class ChartLintTest {

    @Test
    void chartLintsStrictly() {
        LintResult result = new Helm(RepoFiles.CHART).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }
}
