package io.virtfleet.bench;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the Kubernetes API shows of the fleet, watched (informers, not repeated lists: the mock API shares the
 * machine's two cores with everything else). Counts every modification it sees, so that writes during an idle
 * window show up.
 */
final class FleetProgress implements AutoCloseable {
    private final SharedIndexInformer<VirtualMachine> machines;
    private final SharedIndexInformer<RootVolume> volumes;
    private final SharedIndexInformer<Event> events;
    private final AtomicLong eventsCreated = new AtomicLong();
    private final AtomicLong eventRepeats = new AtomicLong();
    private final AtomicLong machineUpdates = new AtomicLong();
    private final AtomicLong volumeUpdates = new AtomicLong();
    /** Every write seen, by kind and what it changed (status transition, or metadata only), and Events by reason. */
    private final Map<String, AtomicLong> writesByWhat = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** VMs seen, VMs Running, RootVolumes seen, RootVolumes Ready. */
    record Counts(int machines, int running, int volumes, int ready) {
        boolean steady(int expected) {
            return machines == expected && running == expected && volumes == expected && ready == expected;
        }

        @Override
        public String toString() {
            return "VMs Running " + running + "/" + machines + ", RootVolumes Ready " + ready + "/" + volumes;
        }
    }

    FleetProgress(KubernetesClient client, String namespace) {
        machines = client.resources(VirtualMachine.class).inNamespace(namespace)
                .inform(counting(machineUpdates, VirtualMachine::getStatus, s -> s.getPhase()));
        volumes = client.resources(RootVolume.class).inNamespace(namespace)
                .inform(counting(volumeUpdates, RootVolume::getStatus, s -> s.getPhase()));
        events = client.v1().events().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event event) {
                eventsCreated.incrementAndGet();
                tally("Event " + event.getInvolvedObject().getKind() + " " + event.getReason());
            }

            @Override
            public void onUpdate(Event before, Event after) {
                eventRepeats.incrementAndGet();
                tally("Event (repeat) " + after.getInvolvedObject().getKind() + " " + after.getReason());
            }

            @Override
            public void onDelete(Event event, boolean finalStateUnknown) {
            }
        });
    }

    /** Event objects created so far (a new reason/message/object), and repetitions counted into existing ones. */
    long eventsCreated() {
        return eventsCreated.get();
    }

    long eventRepeats() {
        return eventRepeats.get();
    }

    private void tally(String what) {
        writesByWhat.computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
    }

    /** Writes seen so far by what they were: status transitions ({@code phase/reason -> phase/reason}), metadata. */
    Map<String, Long> writesByWhat() {
        Map<String, Long> copy = new TreeMap<>();
        writesByWhat.forEach((what, n) -> copy.put(what, n.get()));
        return copy;
    }

    private <T extends HasMetadata, S extends ConditionedStatus> ResourceEventHandler<T> counting(
            AtomicLong updates, Function<T, S> status, Function<S, Object> phase) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
            }

            @Override
            public void onUpdate(T before, T after) {
                updates.incrementAndGet();
                S was = status.apply(before);
                S now = status.apply(after);
                boolean statusChanged = !Serialization.asJson(was).equals(Serialization.asJson(now));
                String from = describe(was, phase);
                String to = describe(now, phase);
                tally(after.getKind() + (!statusChanged ? " metadata" : " status " + from + " -> " + to
                        + (from.equals(to) ? " " + changedFields(was, now) : "")));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
            }
        };
    }

    Counts counts() {
        var vms = machines.getStore().list();
        var rvs = volumes.getStore().list();
        int running = (int) vms.stream().filter(vm -> vm.getStatus() != null
                && vm.getStatus().getPhase() == VirtualMachinePhase.Running).count();
        int ready = (int) rvs.stream().filter(rv -> rv.getStatus() != null
                && rv.getStatus().getPhase() == RootVolumePhase.Ready).count();
        return new Counts(vms.size(), running, rvs.size(), ready);
    }

    /** Modifications seen so far: VMs, RootVolumes. */
    long machineUpdates() {
        return machineUpdates.get();
    }

    long volumeUpdates() {
        return volumeUpdates.get();
    }

    /** VMs per node, by status.nodeName. */
    Map<String, Long> machinesPerNode() {
        return histogram(machines.getStore().list().stream().map(vm -> vm.getStatus() == null
                || vm.getStatus().getNodeName() == null ? "(unbound)" : vm.getStatus().getNodeName()).toList());
    }

    /** Why objects are not there yet: phase and Ready reason of every VM and RootVolume that is not settled. */
    Map<String, Long> unsettled() {
        var vms = machines.getStore().list().stream()
                .filter(vm -> vm.getStatus() == null || vm.getStatus().getPhase() != VirtualMachinePhase.Running)
                .map(vm -> "VirtualMachine " + describe(vm.getStatus(), s -> s.getPhase()));
        var rvs = volumes.getStore().list().stream()
                .filter(rv -> rv.getStatus() == null || rv.getStatus().getPhase() != RootVolumePhase.Ready)
                .map(rv -> "RootVolume " + describe(rv.getStatus(), s -> s.getPhase()));
        return histogram(java.util.stream.Stream.concat(vms, rvs).toList());
    }

    /** The status fields that differ (a condition by its type), for a write that kept the phase and reason. */
    private static String changedFields(Object was, Object now) {
        var before = Serialization.jsonMapper().valueToTree(was);
        var after = Serialization.jsonMapper().valueToTree(now);
        java.util.Set<String> fields = new java.util.TreeSet<>();
        after.fieldNames().forEachRemaining(f -> {
            if (!after.get(f).equals(before.get(f))) {
                fields.add(f);
            }
        });
        before.fieldNames().forEachRemaining(f -> {
            if (!after.has(f)) {
                fields.add(f);
            }
        });
        if (fields.remove("conditions")) {
            after.path("conditions").forEach(c -> {
                boolean same = false;
                for (var b : before.path("conditions")) {
                    same |= b.equals(c);
                }
                if (!same) {
                    fields.add("conditions[" + c.path("type").asText() + "]");
                }
            });
        }
        return fields.toString();
    }

    private static <S extends ConditionedStatus> String describe(S status, Function<S, Object> phase) {
        if (status == null) {
            return "(no status)";
        }
        String reason = status.getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getReason()).findFirst().orElse("-");
        return phase.apply(status) + "/" + reason;
    }

    private static Map<String, Long> histogram(java.util.List<String> values) {
        return values.stream().collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
    }

    @Override
    public void close() {
        machines.close();
        volumes.close();
        events.close();
    }
}
