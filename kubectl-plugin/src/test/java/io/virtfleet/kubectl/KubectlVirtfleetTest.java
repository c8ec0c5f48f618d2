package io.virtfleet.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each verb against the Fabric8 mock API in CRUD mode: the merge patch lands, and nothing else changes. */
@EnableKubernetesMockClient(crud = true)
class KubectlVirtfleetTest {
    private static final String NS = "team-a";
    KubernetesClient client;
    private PluginCluster cluster;

    @BeforeEach
    void crd() {
        cluster = new PluginCluster(client);
    }

    @ParameterizedTest(name = "{0} sets runStrategy {2}")
    @CsvSource(textBlock = """
            start,   Halted, Always
            stop,    Always, Halted
            pause,   Always, Paused
            unpause, Paused, Always
            """)
    void eachPowerVerbPatchesRunStrategyAndNothingElse(String verb, RunStrategy before, RunStrategy after) {
        VirtualMachine created = cluster.createVm(NS, "web01", before);

        PluginCluster.Result result = cluster.run(verb, "web01", "-n", NS);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("virtualmachine.virtfleet.io/web01 patched (spec.runStrategy=" + after + ")");
        VirtualMachine patched = cluster.vm(NS, "web01");
        assertThat(patched.getSpec().getRunStrategy()).isEqualTo(after);
        assertThat(patched.getSpec().getVcpus()).isEqualTo(created.getSpec().getVcpus());
        assertThat(patched.getSpec().getRootVolume().getName()).isEqualTo("web01-root");
    }

    @Test
    void restartTwiceSetsTwoDifferentRfc3339Tokens() {
        cluster.createVm(NS, "web01", RunStrategy.Always);

        assertThat(cluster.run("restart", "--namespace=" + NS, "web01").exitCode()).isZero();
        String first = cluster.vm(NS, "web01").getSpec().getRestartToken();
        assertThat(cluster.run("restart", "web01", "-n", NS).exitCode()).isZero();
        String second = cluster.vm(NS, "web01").getSpec().getRestartToken();

        assertThat(first).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");
        assertThat(second).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z").isNotEqualTo(first);
        assertThat(cluster.vm(NS, "web01").getSpec().getRunStrategy()).isEqualTo(RunStrategy.Always);
    }

    @Test
    void aClockThatRepeatsItselfStillGivesANewToken() {
        cluster.createVm(NS, "web01", RunStrategy.Always);
        Clock stopped = Clock.fixed(Instant.parse("2026-11-30T16:20:01Z"), ZoneOffset.UTC);

        cluster.run(stopped, "restart", "web01", "-n", NS);
        String first = cluster.vm(NS, "web01").getSpec().getRestartToken();
        cluster.run(stopped, "restart", "web01", "-n", NS);

        assertThat(first).isEqualTo("2026-11-30T16:20:01.000000000Z");
        assertThat(cluster.vm(NS, "web01").getSpec().getRestartToken()).isEqualTo("2026-11-30T16:20:01.000000001Z");
    }

    @Test
    void restartingAHaltedVmSaysThatNothingRestarts() {
        cluster.createVm(NS, "web01", RunStrategy.Halted);

        PluginCluster.Result result = cluster.run("restart", "web01", "-n", NS);

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("runStrategy is Halted: the operator records the token and restarts nothing");
    }

    @Test
    void anUnknownVmIsAClearErrorWithExitCodeOneAndIsNotCreated() {
        for (String verb : List.of("stop", "pause", "restart", "status")) {
            PluginCluster.Result result = cluster.run(verb, "ghost", "-n", NS);

            assertThat(result.exitCode()).as(verb).isEqualTo(1);
            assertThat(result.err()).as(verb).contains("error: virtualmachine \"ghost\" not found in namespace \"team-a\"");
        }
        assertThat(cluster.vm(NS, "ghost")).isNull();
    }

    @Test
    void theNamespaceFlagDecidesWhereTheVmIsLookedFor() {
        cluster.createVm("team-b", "web01", RunStrategy.Always);

        assertThat(cluster.run("stop", "web01", "-n", NS).exitCode()).isEqualTo(1);
        assertThat(cluster.vm("team-b", "web01").getSpec().getRunStrategy()).isEqualTo(RunStrategy.Always);
        assertThat(cluster.run("stop", "web01", "-n", "team-b").exitCode()).isZero();
        assertThat(cluster.vm("team-b", "web01").getSpec().getRunStrategy()).isEqualTo(RunStrategy.Halted);
    }

    /** Abuse: names that try to reach another path or smuggle JSON change nothing and fail. */
    @Test
    void namesThatAreNotNamesChangeNothing() {
        cluster.createVm(NS, "web01", RunStrategy.Always);

        for (String name : List.of("../team-b/web01", "web01\",\"spec\":{\"vcpus\":64}", "web01/status")) {
            PluginCluster.Result result = cluster.run("stop", name, "-n", NS);
            assertThat(result.exitCode()).as(name).isNotZero();
            assertThat(result.err()).as(name).startsWith("error: ");
        }
        assertThat(cluster.vm(NS, "web01").getSpec().getRunStrategy()).isEqualTo(RunStrategy.Always);
        assertThat(cluster.vm(NS, "web01").getSpec().getVcpus()).isEqualTo(2);
    }

    @Test
    void wrongCommandLinesExitWithTwo() {
        assertThat(cluster.run("frobnicate", "web01").exitCode()).isEqualTo(2);
        assertThat(cluster.run("console").exitCode()).as("console needs a NAME").isEqualTo(2);
        assertThat(cluster.run("stop", "web01", "--gateway", "x").err()).as("a console flag is not stop's")
                .contains("usage: kubectl virtfleet stop NAME");
        assertThat(cluster.run("stop").exitCode()).isEqualTo(2);
        assertThat(cluster.run("stop", "a", "b").err()).contains("usage: kubectl virtfleet stop NAME");
        assertThat(cluster.run("stop", "web01", "--force").err()).contains("unknown flag --force");
        assertThat(cluster.run("stop", "web01", "-n").err()).contains("-n needs a value");
    }

    @Test
    void statusShowsPhaseNodeTokenAndConditions() {
        VirtualMachine vm = cluster.createVm(NS, "web01", RunStrategy.Paused);
        vm.getSpec().setRestartToken("t1");
        client.resource(vm).update();
        VirtualMachine current = cluster.vm(NS, "web01");
        current.setStatus(new io.virtfleet.crds.v1alpha1.VirtualMachineStatus());
        current.getStatus().setPhase(io.virtfleet.crds.v1alpha1.VirtualMachinePhase.Paused);
        current.getStatus().setNodeName("hv-1");
        current.getStatus().setObservedRestartToken("t1");
        current.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                .withType("Ready").withStatus("False").withReason("Paused")
                .withMessage("the VM is paused, as runStrategy Paused asks").build()));
        client.resource(current).updateStatus();

        PluginCluster.Result result = cluster.run("status", "web01", "-n", NS);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Phase:         Paused").contains("Node:          hv-1")
                .contains("RunStrategy:   Paused").contains("RestartToken:  t1 (acted on)")
                .containsPattern("Ready\\s+False\\s+Paused\\s+the VM is paused");
    }

    @Test
    void anApiServerThatDoesNotAnswerIsNamedInTheError() throws java.io.IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String server = "http://127.0.0.1:" + closedPort;
        KubectlVirtfleet unreachable = new KubectlVirtfleet(Verbs.standard(), flags -> new io.fabric8.kubernetes.client
                .KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl(server).withRequestRetryBackoffLimit(0).build()).build(), Clock.systemUTC());
        var err = new java.io.ByteArrayOutputStream();

        int code = unreachable.run(List.of("stop", "web01", "-n", NS), System.out, new java.io.PrintStream(err, true));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: cannot patch virtualmachine \"web01\" in namespace \"team-a\": ")
                .contains("(API server " + server);
    }

    @Test
    void helpListsEveryVerbWithoutTouchingTheCluster() {
        KubectlVirtfleet offline = new KubectlVirtfleet(Verbs.standard(), flags -> {
            throw new AssertionError("help must not connect");
        }, Clock.systemUTC());
        var out = new java.io.ByteArrayOutputStream();
        int code = offline.run(List.of(), new java.io.PrintStream(out, true), System.err);

        assertThat(code).isZero();
        assertThat(out.toString()).contains("start NAME", "stop NAME", "pause NAME", "unpause NAME", "restart NAME",
                "status NAME", "help", "--namespace");
    }

    @Test
    void aVerbIsOneClassAndOneNameOnly() {
        Verbs verbs = Verbs.standard();
        assertThat(verbs.all()).extracting(v -> v.usage().name())
                .containsExactly("start", "stop", "pause", "unpause", "restart", "status", "console", "vnc", "help");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verbs.add(new StatusVerb()))
                .hasMessageContaining("two verbs named status");
    }
}
