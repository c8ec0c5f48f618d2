package io.virtfleet.operator.secrets;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class SecretValuesTest {
    private static final String LABEL = "virtfleet.io/cloud-init";
    KubernetesClient client;

    private void secret(String name, Map<String, String> labels) {
        client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().withStringData(Map.of("hash", "$6$salt$secret-value")).build())
                .create();
    }

    @Test
    void onlyASecretThatOptedInIsRead() throws Exception {
        secret("seed", Map.of(LABEL, "true"));
        secret("token", Map.of());
        secret("half", Map.of(LABEL, "yes"));
        SecretValues values = new SecretValues(client);

        assertThat(values.readOptedIn("team-a", new SecretKeySelector("hash", "seed", false), "spec.f", LABEL))
                .contains("$6$salt$secret-value");
        for (String name : new String[]{"token", "half"}) {
            assertThatThrownBy(() -> values.readOptedIn("team-a", new SecretKeySelector("hash", name, false),
                    "spec.cloudInit.rootPasswordHash", LABEL))
                    .isInstanceOf(SecretValues.SecretNotOptedIn.class)
                    .hasMessageContaining("spec.cloudInit.rootPasswordHash").hasMessageContaining("Secret " + name)
                    .hasMessageContaining(LABEL + "=\"true\"").hasMessageNotContaining("secret-value");
        }
        assertThatThrownBy(() -> values.readOptedIn("team-a", new SecretKeySelector("hash", "absent", false),
                "spec.f", LABEL)).isInstanceOf(SecretValues.MissingSecret.class);
    }
}
