package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.device.HostDeviceInventory;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePoolInfo;

/**
 * {@code GET /api/v1/host}: the host's CPUs, memory, active pools, cached image digests and assignable PCI devices, which the operator's
 * scheduler reads for capacity and cache affinity. Read-only and cheap: one libvirt node query (on the hypervisor's
 * connection), one pool query per pool, the cache's in-memory listing.
 */
public final class HostRoutes {
    private final String nodeName;
    private final String defaultPool;
    private final LibvirtConnection storage;
    private final LibvirtConnection hypervisor;
    private final ImageCache cache;
    private final HostDeviceInventory devices;

    /**
     * @param storage    the connection of the storage pools
     * @param hypervisor the connection domains run on: its node's CPUs and memory are the host's (usually the same)
     * @param cache      the image cache, whose verified entries count for cache affinity
     * @param devices    the assignable PCI devices (only models the platform allows) and who holds them
     */
    public HostRoutes(String nodeName, String defaultPool, LibvirtConnection storage, LibvirtConnection hypervisor,
                      ImageCache cache, HostDeviceInventory devices) {
        this.devices = devices;
        this.nodeName = nodeName;
        this.defaultPool = defaultPool;
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.cache = cache;
    }

    void register(Javalin app) {
        app.get(AgentPaths.HOST, ctx -> ctx.json(capacity()));
    }

    public HostCapacity capacity() {
        record Node(NodeInfo info, long freeMemory) {
        }
        Node node = hypervisor.call("read host capacity", connect -> new Node(connect.nodeInfo(),
                freeMemory(connect)));
        List<HostCapacity.Pool> pools = storage.call("read pool capacity", connect -> {
            List<HostCapacity.Pool> active = new ArrayList<>();
            for (String name : connect.listStoragePools()) {
                StoragePoolInfo info = connect.storagePoolLookupByName(name).getInfo();
                active.add(new HostCapacity.Pool(name, info.capacity, info.available));
            }
            return active;
        });
        return new HostCapacity(nodeName, node.info().cpus, node.info().memory * 1024, node.freeMemory(), defaultPool,
                pools, cachedDigests(), devices.list());
    }

    /**
     * Free memory is informational (the scheduler counts commitments). libvirt-java raises when the driver answers 0,
     * which a driver without NUMA cells does (libvirt's test driver with a node file): then 0 it is.
     */
    private static long freeMemory(Connect connect) {
        try {
            return connect.getFreeMemory();
        } catch (LibvirtException e) {
            return 0;
        }
    }

    private List<String> cachedDigests() {
        return cache.list().entries().stream().map(CacheEntry::sha256).sorted().toList();
    }
}
