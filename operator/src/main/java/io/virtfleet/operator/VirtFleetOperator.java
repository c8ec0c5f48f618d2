package io.virtfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.rootvolume.RootVolumeReconciler;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.virtualmachine.VirtualMachineReconciler;

import java.time.Clock;

/** The operator: both reconcilers on one Kubernetes client, talking to the agents of a directory. */
public final class VirtFleetOperator implements AutoCloseable {
    private final Operator operator;

    /**
     * Status is written with JSON merge patches rather than server-side apply: the operator is the only writer of
     * status, so SSA's field ownership buys nothing, and merge patches work on every API server (including the mock
     * one of the local stack, which answers SSA with 415).
     */
    public VirtFleetOperator(KubernetesClient client, AgentDirectory agents) {
        Clock clock = Clock.systemUTC();
        Conditions conditions = new Conditions(clock);
        EventRecorder events = new EventRecorder(client, clock);
        operator = new Operator(overrider -> overrider
                .withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false));
        operator.register(new RootVolumeReconciler(agents, conditions, events, clock));
        operator.register(new VirtualMachineReconciler(agents, conditions, events));
    }

    public VirtFleetOperator start() {
        operator.start();
        return this;
    }

    @Override
    public void close() {
        operator.stop();
    }
}
