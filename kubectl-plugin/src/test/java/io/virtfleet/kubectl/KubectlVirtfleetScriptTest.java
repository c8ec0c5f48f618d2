package io.virtfleet.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/kubectl-virtfleet as kubectl runs it: a separate process, the cluster from KUBECONFIG, the namespace from the
 * kubeconfig's current context (no -n).
 */
@EnableKubernetesMockClient(crud = true)
class KubectlVirtfleetScriptTest {
    KubernetesClient client;

    @TempDir
    Path work;

    @Test
    void theWrapperPausesAVmInTheCurrentContextsNamespace() throws Exception {
        PluginCluster cluster = new PluginCluster(client);
        cluster.createVm("team-k", "web01", RunStrategy.Always);
        Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: someone
                  user: {token: not-checked-by-the-mock}
                contexts:
                - name: mock
                  context: {cluster: mock, user: someone, namespace: team-k}
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl()));

        ProcessBuilder wrapper = new ProcessBuilder(Path.of("bin/kubectl-virtfleet").toAbsolutePath().toString(),
                "pause", "web01").redirectErrorStream(true).redirectOutput(work.resolve("output").toFile());
        wrapper.environment().put("KUBECONFIG", kubeconfig.toString());
        Process plugin = wrapper.start();
        plugin.getOutputStream().close();
        assertThat(plugin.waitFor(120, TimeUnit.SECONDS)).as("the plugin ends").isTrue();
        String output = Files.readString(work.resolve("output"), StandardCharsets.UTF_8);

        assertThat(plugin.exitValue()).as(output).isZero();
        assertThat(output).contains("virtualmachine.virtfleet.io/web01 patched (spec.runStrategy=Paused)");
        assertThat(cluster.vm("team-k", "web01").getSpec().getRunStrategy()).isEqualTo(RunStrategy.Paused);
    }
}
