package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.secrets.SeedSecretsReader;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The VirtualMachine reconciler against the mock API and a real agent whose domains live on libvirt's test driver:
 * scheduling, status, conditions, Events, the finalizer, policy refusals and errors, in seconds.
 */
class VirtualMachineApiTest extends ReconcilerApiTests {
    @Test
    void aTemplateVmIsPlacedGetsItsOwnVolumeAndRunsWithEveryConditionTrue() throws Exception {
        VirtualMachine vm = create(SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-runs",
                SampleObjects.volumeSpec("64Mi"), null));

        VirtualMachine running = awaitStatus(vm, v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        assertThat(running.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(running.getStatus().getConditions()).extracting(Condition::getType).containsExactly(
                "Scheduled", "VolumeReady", "DomainDefined", "Running", "Ready");
        assertThat(running.getStatus().getConditions()).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getObservedGeneration()).isEqualTo(running.getMetadata().getGeneration());
        });
        assertThat(running.getMetadata().getFinalizers()).isNotEmpty();
        assertThat(running.getStatus().getDomainUUID()).isNotBlank();
        RootVolume owned = client.resources(RootVolume.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName("api-runs-root").get();
        assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(running.getMetadata().getUid()));
        assertThat(stack.agent().getDomain(AgentNames.of(running))).get()
                .satisfies(d -> assertThat(d.phase()).isEqualTo(DomainPhase.Running));
        // One Event for the way to Running: the steps (Provisioning, Starting) are in the status, not in Events,
        // and the VM's own root volume tells its happy path through the VM.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(running)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getReason()).isEqualTo(Reason.DOMAIN_RUNNING);
                    assertThat(e.getType()).isEqualTo("Normal");
                    assertThat(e.getCount()).isEqualTo(1);
                }));
        assertThat(stack.events(owned)).as("Events of the VM's own root volume").isEmpty();
    }

    /**
     * Ready means the VM runs ({@code kubectl wait --for=condition=Ready} waits for a running guest): halted, it is
     * settled in phase Stopped with Ready=False, reason Halted. Halting twice leaves one Event per distinct
     * transition, counted, not one object per occurrence.
     */
    @Test
    void aHaltedVmIsStoppedButNotReadyAndRepeatedTransitionsAreCountedNotMultiplied() {
        VirtualMachine vm = create(SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-halt",
                SampleObjects.volumeSpec("64Mi"), null));
        awaitStatus(vm, v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        VirtualMachine halted = null;
        for (int cycle = 0; cycle < 2; cycle++) {
            halted = awaitStatus(setRunStrategy(vm, RunStrategy.Halted),
                    v -> v.getStatus().getPhase() == VirtualMachinePhase.Stopped
                            && Reason.HALTED.equals(ready(v).getReason()));
            awaitStatus(setRunStrategy(vm, RunStrategy.Always), v -> "True".equals(ready(v).getStatus()));
        }

        assertThat(ready(halted).getStatus()).isEqualTo("False");
        assertThat(Conditions.find(halted.getStatus(), ConditionType.Running)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        VirtualMachine settled = halted;
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Event> events = stack.events(settled);
            assertThat(events).filteredOn(e -> Reason.HALTED.equals(e.getReason())).singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
            assertThat(events).filteredOn(e -> Reason.DOMAIN_RUNNING.equals(e.getReason()))
                    .extracting(Event::getCount).as("first start, then two restarts with one message")
                    .containsExactlyInAnyOrder(1, 2);
        });
    }

    @Test
    void deletingAVmRemovesItsDomainAndItsOwnedVolumeBeforeTheFinalizerGoes() throws Exception {
        VirtualMachine vm = create(SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-deleted",
                SampleObjects.volumeSpec("64Mi"), null));
        VirtualMachine running = awaitStatus(vm, v -> v.getStatus().getPhase() == VirtualMachinePhase.Running);

        client.resource(running).delete();

        await().atMost(TIMEOUT).until(() -> client.resource(running).get() == null);
        assertThat(stack.agent().getDomain(AgentNames.of(running))).isEmpty();
        await().atMost(TIMEOUT).until(() -> client.resources(RootVolume.class)
                .inNamespace(ReconcilerStack.NAMESPACE).withName("api-deleted-root").get() == null);
        assertThat(stack.agent().getVolume(AgentNames.of(ReconcilerStack.NAMESPACE, "api-deleted-root"))).isEmpty();
    }

    @Test
    void aBridgeNoPolicyAllowsIsRefusedBeforePlacementWithAWarning() {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-bridge",
                SampleObjects.volumeSpec("64Mi"), null);
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge("br-not-allowed");
        nic.setIp("192.0.2.10/24");
        vm.getSpec().setNetworkInterfaces(List.of(nic));
        VirtualMachine created = create(vm);

        VirtualMachine refused = awaitStatus(created, v -> v.getStatus().getPhase() == VirtualMachinePhase.Failed);

        assertThat(ready(refused).getReason()).isEqualTo(Reason.BRIDGE_NOT_ALLOWED);
        assertThat(refused.getStatus().getNodeName()).as("refused before placement").isNull();
        assertThat(client.resources(RootVolume.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName("api-bridge-root").get()).isNull();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(refused))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo(Reason.BRIDGE_NOT_ALLOWED);
                }));
    }

    @Test
    void aVmNoNodeHasRoomForWaitsPendingAndUnscheduled() {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-too-big",
                SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setMemory(new Quantity("64Gi"));
        VirtualMachine created = create(vm);

        VirtualMachine waiting = awaitStatus(created, v -> Conditions.find(v.getStatus(), ConditionType.Scheduled)
                .isPresent());

        assertThat(waiting.getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Pending);
        assertThat(Conditions.find(waiting.getStatus(), ConditionType.Scheduled)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(ready(waiting).getReason()).isEqualTo(Reason.INSUFFICIENT_CAPACITY);
        assertThat(waiting.getStatus().getNodeName()).isNull();
    }

    @Test
    void aVmWhoseSecretIsMissingWaitsPendingAndNamesIt() {
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-no-secret",
                SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setCloudInit(cloudInitFrom("api-absent"));
        VirtualMachine created = create(vm);

        VirtualMachine waiting = awaitStatus(created, v -> v.getStatus().getPhase() == VirtualMachinePhase.Pending
                && Reason.SECRET_NOT_FOUND.equals(ready(v).getReason()));

        assertThat(ready(waiting).getMessage()).contains("api-absent");
    }

    /** An exception no step expects (here a Secret value that is not base64) is a status, not only a log line. */
    @Test
    void anUnexpectedExceptionBecomesReadyFalseReconcileErrorWithAWarningEvent() {
        client.resource(new SecretBuilder().withNewMetadata().withName("api-garbled")
                .withNamespace(ReconcilerStack.NAMESPACE).withLabels(Map.of(SeedSecretsReader.OPT_IN_LABEL, "true"))
                .endMetadata().withData(Map.of("hash", "%%% not base64 %%%")).build()).create();
        VirtualMachine vm = SampleObjects.vm(ReconcilerStack.NAMESPACE, "api-error",
                SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setCloudInit(cloudInitFrom("api-garbled"));
        VirtualMachine created = create(vm);

        VirtualMachine failed = awaitStatus(created, v -> Reason.RECONCILE_ERROR.equals(ready(v).getReason()));

        assertThat(ready(failed).getStatus()).isEqualTo("False");
        assertThat(ready(failed).getMessage()).contains("IllegalArgumentException");
        assertThat(failed.getStatus().getObservedGeneration()).isEqualTo(failed.getMetadata().getGeneration());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(failed)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(Reason.RECONCILE_ERROR);
        }));
    }

    private static CloudInit cloudInitFrom(String secret) {
        CloudInit cloudInit = new CloudInit();
        cloudInit.setRootPasswordHash(new SecretKeySelector("hash", secret, false));
        return cloudInit;
    }

    private VirtualMachine setRunStrategy(VirtualMachine vm, RunStrategy strategy) {
        return client.resources(VirtualMachine.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName(vm.getMetadata().getName()).edit(v -> {
                    v.getSpec().setRunStrategy(strategy);
                    return v;
                });
    }

    private VirtualMachine create(VirtualMachine vm) {
        return client.resource(vm).create();
    }
}
