package io.virtfleet.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.kubectl.KubectlVirtfleet;
import io.virtfleet.kubectl.Verbs;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.DomainInfo.DomainState;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Power operations on a real QEMU domain (TCG) through the kubectl plugin, the mock API and the operator: pause and
 * unpause keep the same running instance (libvirt's domain id), a restart gives it a new one exactly once — also when
 * the operator itself restarts in the middle — and a restart of a halted VM is only recorded. The guest has no OS
 * (the sample image), so its graceful shutdown ends with the agent's destroy after the stack's 5 s timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerEndToEndTest {
    private static final String NODE = "hv-1";

    @TempDir
    static Path work;

    private LocalStack stack;
    private KubernetesClient client;
    private NodeContents host;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    void startOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-power-" + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, Map.of()),
                OperatorSettings.defaults()));
        client = stack.kubernetes().client();
        host = new NodeContents(stack.node(NODE));
    }

    @AfterAll
    void stopAndSweep() throws Exception {
        StackSweep.stopAndSweep(stack, host, namespaces, NODE, null);
    }

    @Test
    void pauseUnpauseRestartAndHaltedRestartThroughThePlugin() throws Exception {
        Fleet fleet = new Fleet(client, "pw" + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        fleet.createVm("web01", Fleet.volumeSpec("64Mi"), null);
        String domain = fleet.namespace() + ".web01";
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        int firstId = host.domain(domain).orElseThrow().id();

        // pause: phase Paused, libvirt's state paused, the same instance
        assertThat(plugin("pause", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Paused);
        assertThat(host.domain(domain).orElseThrow()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(DomainState.VIR_DOMAIN_PAUSED);
            assertThat(d.id()).isEqualTo(firstId);
        });

        // unpause: Running again, still the same instance
        assertThat(plugin("unpause", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(host.domain(domain).orElseThrow()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
            assertThat(d.id()).isEqualTo(firstId);
        });

        // restart, with the operator restarted while the guest shuts down: one new instance, the token recorded
        assertThat(plugin("restart", "web01", "-n", fleet.namespace())).isZero();
        String token = fleet.vm("web01").getSpec().getRestartToken();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> Reason.RESTARTING.equals(readyReason(vm)));
        stack.stopOperator();
        stack.startOperator();
        VirtualMachine restarted = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> token.equals(vm.getStatus().getObservedRestartToken())
                        && vm.getStatus().getPhase() == VirtualMachinePhase.Running
                        && Reason.DOMAIN_RUNNING.equals(readyReason(vm)));
        assertThat(restarted.getStatus().getObservedRestartToken()).isEqualTo(token);
        int secondId = host.domain(domain).orElseThrow().id();
        assertThat(secondId).as("a new instance").isNotEqualTo(firstId).isPositive();
        await().atMost(Fleet.TIMEOUT).until(() -> restartedEvents(fleet) >= 1);
        assertThat(restartedEvents(fleet)).as("Restarted once: %s", token).isEqualTo(1);

        // halted: a new token is recorded, nothing starts
        assertThat(plugin("stop", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        assertThat(plugin("restart", "web01", "-n", fleet.namespace())).isZero();
        String haltedToken = fleet.vm("web01").getSpec().getRestartToken();
        await().atMost(Fleet.TIMEOUT).until(() -> haltedToken.equals(
                fleet.vm("web01").getStatus().getObservedRestartToken()));
        assertThat(fleet.vm("web01").getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Stopped);
        assertThat(host.domain(domain).orElseThrow().active()).isFalse();
        assertThat(restartedEvents(fleet)).isEqualTo(1);

        client.resource(fleet.vm("web01")).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01") == null);
        assertThat(host.leftovers(fleet.namespace() + ".")).isEmpty();
    }

    /** The plugin as a person runs it, on a client of its own to the stack's API. */
    private int plugin(String... args) {
        return new KubectlVirtfleet(Verbs.standard(),
                flags -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build(), Clock.systemUTC())
                .run(List.of(args), System.out, System.err);
    }

    private static String readyReason(VirtualMachine vm) {
        return vm.getStatus() == null ? null : Fleet.condition(vm.getStatus(), "Ready").map(c -> c.getReason())
                .orElse(null);
    }

    /** Restarted Events of the VM, occurrences summed (a restarted operator may start a new Event object). */
    private int restartedEvents(Fleet fleet) {
        return client.v1().events().inNamespace(fleet.namespace()).list().getItems().stream()
                .filter(e -> "web01".equals(e.getInvolvedObject().getName()))
                .filter(e -> Reason.RESTARTED.equals(e.getReason()))
                .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }
}
