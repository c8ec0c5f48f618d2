package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Event;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Power operations through the reconciler (mock API, real agent on libvirt's test driver): runStrategy Paused and back,
 * Halted from Paused, spec.restartToken restarting exactly once per new token, recorded only while Halted, and an
 * oversized token refused. The same on QEMU: VirtualMachineLifecycleEndToEndTest (powerOperationsThroughThePlugin).
 */
class PowerApiTest extends ReconcilerApiTests {
    @Test
    void pausedPausesTheDomainAlwaysResumesItAndHaltedStopsIt() throws Exception {
        VirtualMachine vm = running("api-pause");
        String domain = AgentNames.of(vm);

        VirtualMachine paused = awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Paused)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Paused);
        assertThat(ready(paused).getStatus()).isEqualTo("False");
        assertThat(ready(paused).getReason()).isEqualTo(Reason.PAUSED);
        assertThat(stack.agent().getDomain(domain).orElseThrow().phase()).isEqualTo(DomainPhase.Paused);

        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Always)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Running && "True".equals(ready(v).getStatus()));
        assertThat(stack.agent().getDomain(domain).orElseThrow().phase()).isEqualTo(DomainPhase.Running);

        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Paused)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Paused);
        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Halted)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Stopped);
        assertThat(stack.agent().getDomain(domain).orElseThrow().phase()).isEqualTo(DomainPhase.Stopped);

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(vm)).extracting(Event::getReason)
                .contains(Reason.PAUSED, Reason.DOMAIN_RUNNING, Reason.HALTED)
                .doesNotContain(Reason.RECONCILE_ERROR));
        assertThat(stack.events(vm)).filteredOn(e -> Reason.PAUSED.equals(e.getReason())).singleElement()
                .as("paused twice: one Event, counted").satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
    }

    @Test
    void aStoppedVmAskedToPauseIsStartedAndPaused() throws Exception {
        VirtualMachine vm = running("api-pause-cold");
        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Halted)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Stopped);

        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Paused)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Paused);

        assertThat(stack.agent().getDomain(AgentNames.of(vm)).orElseThrow().phase()).isEqualTo(DomainPhase.Paused);
    }

    @Test
    void deletingAPausedVmRemovesItsDomain() throws Exception {
        VirtualMachine vm = running("api-pause-delete");
        VirtualMachine paused = awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Paused)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Paused);

        client.resource(paused).delete();

        await().atMost(TIMEOUT).until(() -> client.resource(paused).get() == null);
        assertThat(stack.agent().getDomain(AgentNames.of(vm))).isEmpty();
    }

    @Test
    void eachNewRestartTokenRestartsOnceAndIsRecorded() {
        VirtualMachine vm = running("api-restart");

        for (String token : List.of("r1", "r2")) {
            awaitStatus(edit(vm, s -> s.setRestartToken(token)), v -> token.equals(v.getStatus().getObservedRestartToken())
                    && v.getStatus().getPhase() == VirtualMachinePhase.Running && "True".equals(ready(v).getStatus()));
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Event> events = stack.events(vm);
            assertThat(events).filteredOn(e -> Reason.RESTARTED.equals(e.getReason())).extracting(Event::getMessage)
                    .as("one Restarted Event per token, each once").hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains("restartToken r1"))
                    .anySatisfy(m -> assertThat(m).contains("restartToken r2"));
            assertThat(events).filteredOn(e -> Reason.RESTARTED.equals(e.getReason()))
                    .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
            assertThat(events).filteredOn(e -> Reason.RESTARTING.equals(e.getReason())).hasSize(2);
        });
    }

    @Test
    void aHaltedVmOnlyRecordsANewRestartToken() throws Exception {
        VirtualMachine vm = running("api-restart-halted");
        awaitStatus(edit(vm, s -> s.setRunStrategy(RunStrategy.Halted)),
                v -> v.getStatus().getPhase() == VirtualMachinePhase.Stopped);

        VirtualMachine recorded = awaitStatus(edit(vm, s -> s.setRestartToken("h1")),
                v -> "h1".equals(v.getStatus().getObservedRestartToken()));

        assertThat(recorded.getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Stopped);
        assertThat(stack.agent().getDomain(AgentNames.of(vm)).orElseThrow().phase()).isEqualTo(DomainPhase.Stopped);
        assertThat(stack.events(vm)).extracting(Event::getReason).doesNotContain(Reason.RESTARTING, Reason.RESTARTED);
    }

    /** Abuse: a token the CRD would refuse (the mock API does not validate) is refused by the operator too. */
    @Test
    void anOversizedRestartTokenIsInvalidAndRestartsNothing() throws Exception {
        VirtualMachine vm = running("api-restart-huge");

        VirtualMachine refused = awaitStatus(edit(vm, s -> s.setRestartToken("x".repeat(10_000))),
                v -> Reason.INVALID_SPEC.equals(ready(v).getReason()));

        assertThat(ready(refused).getMessage()).contains("spec.restartToken is longer than 253 characters");
        assertThat(refused.getStatus().getObservedRestartToken()).isNull();
        assertThat(stack.agent().getDomain(AgentNames.of(vm)).orElseThrow().phase()).isEqualTo(DomainPhase.Running);
        assertThat(stack.events(vm)).extracting(Event::getReason).doesNotContain(Reason.RESTARTING);
    }

    private VirtualMachine running(String name) {
        VirtualMachine vm = client.resource(SampleObjects.vm(ReconcilerStack.NAMESPACE, name,
                SampleObjects.volumeSpec("64Mi"), null)).create();
        return awaitStatus(vm, v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);
    }

    private VirtualMachine edit(VirtualMachine vm, Consumer<VirtualMachineSpec> change) {
        return client.resources(VirtualMachine.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName(vm.getMetadata().getName()).edit(v -> {
                    change.accept(v.getSpec());
                    return v;
                });
    }
}
