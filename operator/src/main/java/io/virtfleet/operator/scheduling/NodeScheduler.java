package io.virtfleet.operator.scheduling;

import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.status.Reason;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the node for an object that is not bound yet: the pinned node, else the nodes whose labels match the
 * selector, keeping those with room for the demand (pool bytes, memory, vCPUs against what bound objects already
 * hold; a free reported host device per device asked for, never one another VM has or reserved), preferring a node whose cache already holds the image, then the one with the most free pool space (the
 * reason given is {@code Placed} either way, never which images a node holds). When no node has room and some
 * node's capacity is unknown (agent unreachable, not ready, libvirtd down), the refusal is {@code AgentNotReady}, not
 * {@code InsufficientCapacity}: an unknown node is not a full one, and the object is placed once it reports. A
 * binding, once recorded in status, is kept: volumes are local to their node, so moving silently would lose data.
 * Placement is serialized and every placement is reserved until the object's status shows it, so two objects
 * placed at once never both take the last room on a node.
 */
public final class NodeScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeScheduler.class);
    private final AgentDirectory agents;
    private final NodeLabels labels;
    private final CapacitySource capacities;
    private final Commitments commitments;
    private final AgentHealth health;
    private final double cpuOvercommit;
    private final Map<String, Reservation> reservations = new HashMap<>();
    /**
     * Host devices per object, kept until the object is released: a device must never go to two VMs, even while the
     * informers lag behind a status that records it.
     */
    private final Map<String, DeviceHold> deviceHolds = new HashMap<>();

    /** A placement not yet in status; a reconcile on a stale copy gets the same answer again (reason included). */
    private record Reservation(String node, Demand demand, Placement placement) {
    }

    private record DeviceHold(String node, List<String> addresses) {
    }

    public NodeScheduler(AgentDirectory agents, NodeLabels labels, CapacitySource capacities, Commitments commitments,
                         AgentHealth health, double cpuOvercommit) {
        this.agents = agents;
        this.labels = labels;
        this.capacities = capacities;
        this.commitments = commitments;
        this.health = health;
        this.cpuOvercommit = cpuOvercommit;
    }

    /** Runs {@code listener} whenever capacity a placed VirtualMachine held is free again (it is gone). */
    public void onCapacityFreed(Runnable listener) {
        commitments.onMachineGone(listener);
    }

    /**
     * @param key        the object, e.g. {@code RootVolume/ns/name}; its reservation lasts until {@link #release}
     * @param boundNode  the node already recorded in status, or null
     * @param pinnedNode the node the spec asks for, or null
     * @param selector   labels the node must carry; null or empty for any
     */
    public synchronized Placement place(String key, String boundNode, String pinnedNode, Map<String, String> selector,
                                        Demand demand) {
        boolean decidedBefore = boundNode == null && reservations.containsKey(key);
        Placement placement = decide(key, boundNode, pinnedNode, selector, demand);
        if (!decidedBefore && !Reason.BOUND.equals(placement.reason())) {
            // One line per scheduling decision (a bound object or a reserved placement is not decided again).
            LOG.atInfo().addKeyValue("object", key).addKeyValue("node", placement.nodeName().orElse(null))
                    .addKeyValue("reason", placement.reason()).log("scheduling: {}", placement.message());
        }
        return placement;
    }

    private Placement decide(String key, String boundNode, String pinnedNode, Map<String, String> selector,
                             Demand demand) {
        if (boundNode != null) {
            reservations.remove(key);
            if (pinnedNode != null && !pinnedNode.equals(boundNode)) {
                return Placement.refused(Reason.NODE_MISMATCH, "spec.nodeName is " + pinnedNode
                        + " but the object is bound to node " + boundNode + "; a bound object never moves");
            }
            return Placement.bound(boundNode, Reason.BOUND, "bound to node " + boundNode);
        }
        Reservation reserved = reservations.get(key);
        if (reserved != null) {
            return reserved.placement();
        }
        if (pinnedNode != null && agents.forNode(pinnedNode).isEmpty()) {
            return Placement.refused(Reason.NO_NODE_AVAILABLE, "spec.nodeName is " + pinnedNode
                    + " but no host agent is known for that node");
        }
        List<String> candidates = pinnedNode != null ? List.of(pinnedNode) : agents.nodeNames().stream()
                .filter(node -> matches(node, selector)).toList();
        if (candidates.isEmpty()) {
            return Placement.refused(Reason.NO_NODE_AVAILABLE, agents.nodeNames().isEmpty()
                    ? "no host agent is registered"
                    : "no node with a host agent carries the labels of spec.nodeSelector " + selector);
        }
        Map<String, Committed> committed = committedByNode(key);
        List<Fit> fits = new ArrayList<>();
        List<String> full = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String node : candidates) {
            Committed held = committed.getOrDefault(node, Committed.nothing());
            Optional<HostCapacity> capacity = capacity(node);
            if (capacity.isEmpty()) {
                unknown.add(node + ": " + unknownWhy(node));
                continue;
            }
            evaluate(node, capacity.get(), demand, held)
                    .ifPresentOrElse(fits::add, () -> full.add(node + ": " + whyNot(capacity.get(), demand, held)));
        }
        Optional<Fit> best = fits.stream().min(Comparator.comparing((Fit f) -> !f.cached())
                .thenComparing(Fit::freeStorageBytes, Comparator.reverseOrder()).thenComparing(Fit::node));
        if (best.isEmpty()) {
            // A node whose capacity is unknown is not full: the object waits for it, and says so.
            return unknown.isEmpty()
                    ? Placement.refused(Reason.INSUFFICIENT_CAPACITY, "no node has room: " + String.join("; ", full))
                    : Placement.refused(Reason.AGENT_NOT_READY, "waiting for node capacity: " + String.join("; ", unknown)
                    + (full.isEmpty() ? "" : "; no room on the others: " + String.join("; ", full)));
        }
        Fit fit = best.get();
        // One neutral reason whatever decided: a message saying a node holds the image would tell a tenant what
        // another tenant has cached there.
        Placement placement = pinnedNode != null
                ? Placement.bound(fit.node(), Reason.NODE_PINNED, "spec.nodeName pins node " + fit.node())
                : Placement.bound(fit.node(), Reason.PLACED, "node " + fit.node() + " chosen among " + fits.size()
                + " node(s) with room");
        placement = placement.withDevices(fit.devices());
        reservations.put(key, new Reservation(fit.node(), demand, placement));
        deviceHolds.put(key, new DeviceHold(fit.node(), fit.devices()));
        return placement;
    }

    /**
     * Host devices for an object already on {@code node}: one free address per entry of {@code resourceNames}, held
     * for the object from now on together with {@code kept} (the addresses it already has, which replace what it held
     * before). Empty, with nothing held anew, when the node lacks a device or cannot report.
     *
     * @param ownDomain the object's domain: devices the node reports it holds already are its own
     */
    public synchronized DeviceAssignment assignDevices(String key, String node, List<String> kept,
                                                       List<String> resourceNames, String ownDomain) {
        if (resourceNames.isEmpty()) {
            holdDevices(key, node, kept);
            return DeviceAssignment.assigned(List.of());
        }
        Optional<HostCapacity> capacity = capacity(node);
        if (capacity.isEmpty()) {
            return DeviceAssignment.refused(Reason.AGENT_NOT_READY, "waiting for node capacity: " + node + ": "
                    + unknownWhy(node));
        }
        Set<String> taken = new HashSet<>(committedByNode(key)
                .getOrDefault(node, Committed.nothing()).deviceAddresses());
        taken.addAll(kept);
        Optional<List<String>> picked = HostDeviceMatch.pick(capacity.get(), resourceNames, taken, ownDomain);
        if (picked.isEmpty()) {
            return DeviceAssignment.refused(Reason.INSUFFICIENT_CAPACITY, "node " + node + " has no free host device "
                    + "for the VM: " + HostDeviceMatch.shortfall(capacity.get(), resourceNames, taken));
        }
        List<String> all = new ArrayList<>(kept);
        all.addAll(picked.get());
        holdDevices(key, node, all);
        return DeviceAssignment.assigned(picked.get());
    }

    private void holdDevices(String key, String node, List<String> addresses) {
        if (addresses.isEmpty()) {
            deviceHolds.remove(key);
        } else {
            deviceHolds.put(key, new DeviceHold(node, List.copyOf(addresses)));
        }
    }

    /** New host device addresses, in the order asked, or why none could be assigned. */
    public record DeviceAssignment(List<String> addresses, String reason, String message) {
        static DeviceAssignment assigned(List<String> addresses) {
            return new DeviceAssignment(addresses, null, null);
        }

        static DeviceAssignment refused(String reason, String message) {
            return new DeviceAssignment(List.of(), reason, message);
        }

        public boolean refused() {
            return reason != null;
        }
    }

    /** Forgets the object's reservation and its devices (it was deleted). */
    public synchronized void release(String key) {
        reservations.remove(key);
        deviceHolds.remove(key);
    }

    private Optional<HostCapacity> capacity(String node) {
        return health.isUnreachable(node) ? Optional.empty() : capacities.of(node);
    }

    private String unknownWhy(String node) {
        return health.isUnreachable(node) ? "agent unreachable"
                : "agent cannot report its capacity (not ready, or libvirtd unreachable)";
    }

    private boolean matches(String node, Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        Map<String, String> nodeLabels = labels.of(node);
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(nodeLabels.get(e.getKey())));
    }

    /**
     * What other bound objects and reservations hold, per node. Nothing of {@code asking} is counted, neither its
     * device holds nor what its status records (else a VM whose device entry was renamed would wait for its own
     * device forever); an object not bound yet records nothing anyway.
     */
    private Map<String, Committed> committedByNode(String asking) {
        Set<String> excluding = new HashSet<>(reservations.keySet());
        excluding.add(asking);
        Map<String, Committed> committed = new HashMap<>(commitments.byNode(excluding));
        reservations.values().forEach(r -> committed.merge(r.node(), Committed.nothing().plus(r.demand()),
                (a, b) -> a.plus(r.demand())));
        deviceHolds.forEach((key, hold) -> {
            if (!key.equals(asking)) {
                committed.merge(hold.node(), Committed.nothing().holdingDevices(hold.addresses()),
                        (a, b) -> a.holdingDevices(hold.addresses()));
            }
        });
        return committed;
    }

    private record Fit(String node, boolean cached, long freeStorageBytes, List<String> devices) {
    }

    private Optional<Fit> evaluate(String node, HostCapacity host, Demand demand, Committed committed) {
        Optional<HostCapacity.Pool> pool = pool(host, demand.pool());
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        long freeStorage = pool.get().capacityBytes() - committed.storageBytes();
        boolean fits = freeStorage >= demand.storageBytes()
                && host.memoryBytes() - committed.memoryBytes() >= demand.memoryBytes()
                && host.cpus() * cpuOvercommit - committed.vcpus() >= demand.vcpus()
                && demand.vcpus() <= host.cpus(); // overcommit spreads VMs over CPUs; one VM gets at most all of them
        Optional<List<String>> devices = HostDeviceMatch.pick(host, demand.hostDevices(), committed.deviceAddresses(),
                null);
        if (!fits || devices.isEmpty()) {
            return Optional.empty();
        }
        boolean cached = demand.imageSha256() != null && (host.cachedImageDigests().contains(demand.imageSha256())
                || committed.imageDigests().contains(demand.imageSha256()))
                || demand.imageUrl() != null && committed.imageUrls().contains(demand.imageUrl());
        return Optional.of(new Fit(node, cached, freeStorage, devices.get()));
    }

    private String whyNot(HostCapacity host, Demand demand, Committed committed) {
        if (pool(host, demand.pool()).isEmpty()) {
            return "no active pool " + (demand.pool() != null ? demand.pool() : host.defaultPool());
        }
        if (demand.vcpus() > host.cpus()) {
            return "needs " + demand.vcpus() + " vCPUs in one VM; the host has " + host.cpus() + " CPUs";
        }
        if (HostDeviceMatch.pick(host, demand.hostDevices(), committed.deviceAddresses(), null).isEmpty()) {
            return HostDeviceMatch.shortfall(host, demand.hostDevices(), committed.deviceAddresses());
        }
        return String.format("needs %d MiB pool, %d MiB memory, %d vCPUs; free %d MiB pool, %d MiB memory, %.0f vCPUs",
                demand.storageBytes() >> 20, demand.memoryBytes() >> 20, demand.vcpus(),
                (pool(host, demand.pool()).get().capacityBytes() - committed.storageBytes()) >> 20,
                (host.memoryBytes() - committed.memoryBytes()) >> 20, host.cpus() * cpuOvercommit - committed.vcpus());
    }

    private static Optional<HostCapacity.Pool> pool(HostCapacity host, String requested) {
        String name = requested != null ? requested : host.defaultPool();
        return host.pools().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Where an object goes, or why it cannot go anywhere.
     *
     * @param deviceAddresses the host devices chosen on that node for a new placement, in the order the demand asked
     *                        for them; empty for a bound object (it keeps what its status records)
     */
    public record Placement(Optional<String> nodeName, String reason, String message, List<String> deviceAddresses) {
        static Placement bound(String node, String reason, String message) {
            return new Placement(Optional.of(node), reason, message, List.of());
        }

        static Placement refused(String reason, String message) {
            return new Placement(Optional.empty(), reason, message, List.of());
        }

        Placement withDevices(List<String> addresses) {
            return new Placement(nodeName, reason, message, List.copyOf(addresses));
        }
    }
}
