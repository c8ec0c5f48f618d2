package io.virtfleet.helm.chart;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json makes Helm refuse wrong values before anything reaches the cluster. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            operator.replicas               | two
            operator.replicas               | -1
            operator.leaderElection.enabled | maybe
            agent.port                      | 70000
            agent.port                      | http
            agent.domainType                | xen
            agent.dataDir                   | relative/path
            agent.image.pullPolicy          | Sometimes
            metrics.serviceMonitor.interval | often
            s3.endpoint                     | minio.local:9000
            operator.replicaCount           | 2
            agent.tls.enabled               | true
            agent.insecurePlainHttp         | true
            tls.enabled                     | true
            """)
    void schemaRejectsWrongValue(String key, String value) {
        Object typed = value.matches("-?\\d+") ? Integer.valueOf(value)
                : value.equals("true") ? Boolean.TRUE : value;

        assertThatThrownBy(() -> ChartRender.with(Map.of(key, typed)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema");
    }
}
