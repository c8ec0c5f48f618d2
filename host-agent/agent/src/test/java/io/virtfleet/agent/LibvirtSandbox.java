package io.virtfleet.agent;

import io.virtfleet.fixtures.HostPrerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

/**
 * A uniquely named {@code dir} storage pool in a temporary folder plus a name prefix for everything a test
 * creates in the real libvirtd; {@link #close} removes domains with that prefix, the pool's volumes and the pool,
 * also after a failed test.
 */
public final class LibvirtSandbox implements AutoCloseable {
    private static final ErrorCallback SILENT = new ErrorCallback();

    private final String uri;
    private Connect connect;
    private final String prefix;
    private final String poolName;

    private LibvirtSandbox(String uri, Connect connect, String prefix, String poolName) {
        this.uri = uri;
        this.connect = connect;
        this.prefix = prefix;
        this.poolName = poolName;
    }

    /** Skips (or fails under CI=true) when libvirtd or qemu-img are missing; the pool is created by the agent. */
    public static LibvirtSandbox create() throws LibvirtException {
        HostPrerequisites.requireLibvirt();
        return create(HostPrerequisites.LIBVIRT_URI);
    }

    /** A sandbox in the libvirtd at {@code uri} (e.g. a {@link PrivateLibvirtd}); agents get that URI too. */
    public static LibvirtSandbox create(String uri) throws LibvirtException {
        HostPrerequisites.requireQemuImg();
        Connect.setErrorCallback(SILENT);
        String prefix = "vftest-" + UUID.randomUUID().toString().substring(0, 8);
        return new LibvirtSandbox(uri, new Connect(uri), prefix, prefix + "-pool");
    }

    /** A name unique to this sandbox, e.g. {@code name("vm")}. */
    public String name(String suffix) {
        return prefix + "." + suffix;
    }

    public String poolName() {
        return poolName;
    }

    public Connect connect() {
        return connect;
    }

    /** Opens the sandbox's own connection again, after its libvirtd was restarted. */
    public Connect reconnect() throws LibvirtException {
        try {
            connect.close();
        } catch (LibvirtException e) {
            // the old connection died with its daemon
        }
        connect = new Connect(uri);
        return connect;
    }

    /** An agent configuration on this sandbox's pool, with domain type qemu (KVM guests do not run everywhere). */
    public AgentConfig.Builder agentConfig(String token, Path workDir) {
        return AgentConfig.builder(token).insecurePlainHttp()
                .libvirtUri(uri)
                .nodeName("test-node")
                .defaultPool(poolName)
                .poolPath(workDir.resolve("pool"))
                .cacheDir(workDir.resolve("cache"))
                .stateDir(workDir.resolve("state"))
                .domainType(DomainTypeSetting.QEMU)
                // Test guests never obey ACPI: a stop or a deletion of a running one ends in destroy; keep it short.
                .shutdownTimeout(java.time.Duration.ofSeconds(2));
    }

    /** The agent-owned networks and nwfilters named after this sandbox's objects (prefixes {@code vf-net-}, {@code vf-fw-}). */
    private void removeNetworksAndFilters() throws LibvirtException {
        for (String name : connect.listNetworkFilters()) {
            if (name.startsWith("vf-fw-" + prefix)) {
                connect.networkFilterLookupByName(name).undefine();
            }
        }
        List<String> networks = new java.util.ArrayList<>(List.of(connect.listNetworks()));
        networks.addAll(List.of(connect.listDefinedNetworks()));
        for (String name : networks) {
            if (name.startsWith("vf-net-" + prefix)) {
                org.libvirt.Network network = connect.networkLookupByName(name);
                if (network.isActive() == 1) {
                    network.destroy();
                }
                network.undefine();
            }
        }
    }

    @Override
    public void close() throws LibvirtException {
        if (!connect.isAlive()) {
            reconnect(); // its libvirtd was restarted since
        }
        try {
            for (Domain domain : connect.listAllDomains(0)) {
                if (domain.getName().startsWith(prefix)) {
                    if (domain.isActive() == 1) {
                        domain.destroy();
                    }
                    domain.undefine();
                }
            }
            removeNetworksAndFilters();
            try {
                StoragePool pool = connect.storagePoolLookupByName(poolName);
                if (pool.isActive() == 1) {
                    for (String volume : pool.listVolumes()) {
                        pool.storageVolLookupByName(volume).delete(0);
                    }
                    pool.destroy();
                }
                pool.undefine();
            } catch (LibvirtException e) {
                // the agent never created it (the test stopped early)
            }
        } finally {
            connect.close();
        }
    }
}
