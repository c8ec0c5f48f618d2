package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePoolInfo;

/**
 * {@code GET /api/v1/host}: the host's CPUs, memory, active pools and cached image digests, which the operator's
 * scheduler reads for capacity and cache affinity. Read-only and cheap: one libvirt node query (on the hypervisor's
 * connection), one pool query per pool, one directory listing.
 */
public final class HostRoutes {
    private static final Pattern DIGEST = Pattern.compile("^[a-f0-9]{64}$");

    private final String nodeName;
    private final String defaultPool;
    private final LibvirtConnection storage;
    private final LibvirtConnection hypervisor;
    private final Path cacheEntries;

    /**
     * @param storage    the connection of the storage pools
     * @param hypervisor the connection domains run on: its node's CPUs and memory are the host's (usually the same)
     * @param cacheDir   the image cache directory; its entries are {@code <cacheDir>/sha256/<hex>}
     */
    public HostRoutes(String nodeName, String defaultPool, LibvirtConnection storage, LibvirtConnection hypervisor,
                      Path cacheDir) {
        this.nodeName = nodeName;
        this.defaultPool = defaultPool;
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.cacheEntries = cacheDir.resolve("sha256");
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
                pools, cachedDigests());
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
        if (!Files.isDirectory(cacheEntries)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(cacheEntries)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> DIGEST.matcher(n).matches()).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the image cache " + cacheEntries, e);
        }
    }
}
