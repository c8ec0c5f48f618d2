package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cloudinit.SeedStore;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.agent.network.NicFirewalls;
import io.virtfleet.agent.storage.OwnerRecords;
import io.virtfleet.agent.storage.StoragePools;
import io.virtfleet.agent.storage.VolumeInfo;
import io.virtfleet.agent.storage.VolumeService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declarative domain API: PUT prepares what the domain owns (data disks, seed), defines the domain when its
 * definition changed and starts or stops it to match {@code running}; GET reports libvirt's view; DELETE shuts a
 * running guest down gracefully (ACPI, destroy after the timeout, as a stop does), then undefines the domain (with
 * NVRAM) and removes what it owned. Suspend and resume are the two imperative calls.
 */
public final class DomainService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainService.class);
    /** virDomainXMLFlags VIR_DOMAIN_XML_INACTIVE: the persistent definition, not the running instance. */
    static final int XML_INACTIVE = 2;
    /** virDomainUndefineFlagsValues VIR_DOMAIN_UNDEFINE_NVRAM (libvirt-java 0.5.4 has no constant for it). */
    private static final int UNDEFINE_NVRAM = 4;
    private static final Duration STATE_CHECK_INTERVAL = Duration.ofSeconds(15);

    private final LibvirtConnection libvirt;
    private final VolumeService volumes;
    private final String domainType;
    private final GracefulStop stopper;
    private final DomainResources resources;
    private final DomainEvents events;
    private final DomainHostPolicy policy;
    private final OwnerRecords owners;

    public DomainService(LibvirtConnection libvirt, VolumeService volumes, StoragePools pools, Path stateDir,
                         String domainType, Duration shutdownTimeout, DomainHostPolicy policy) {
        this.libvirt = libvirt;
        this.volumes = volumes;
        this.policy = policy;
        this.owners = new OwnerRecords(stateDir, "domain");
        this.domainType = domainType;
        this.stopper = new GracefulStop(libvirt, shutdownTimeout);
        this.resources = new DomainResources(pools, new SeedStore(stateDir),
                new FirmwareCatalog(FirmwareCatalog.DEFAULT_DIRS), stateDir);
        this.events = new DomainEvents(libvirt, STATE_CHECK_INTERVAL, stopper::stopped);
    }

    /**
     * Refuses what the platform does not allow, more vCPUs or memory than the host has, and another owner's domain
     * before anything happens; then applies the request while the root volume is Ready and cannot start repopulating
     * (one lock per volume, see VolumeService).
     */
    public synchronized DomainStatus put(String name, DomainRequest request) {
        DomainRequests.validate(request);
        HostCapabilities.requireFits(libvirt, request);
        DomainRequest allowed = policy.apply(name, request);
        if (request.ownerUid() != null) {
            boolean exists = libvirt.call("look up domain " + name, connect -> lookup(connect, name).isPresent());
            owners.claim(name, request.ownerUid(), exists);
        }
        return volumes.withReadyVolume(allowed.rootVolume(), root -> apply(name, allowed, root));
    }

    private DomainStatus apply(String name, DomainRequest request, VolumeInfo root) {
        String instanceId = instanceId(name, request);
        return libvirt.call("apply domain " + name, connect -> {
            Optional<Domain> existing = lookup(connect, name);
            UUID uuid = existing.isPresent() ? UUID.fromString(existing.get().getUUIDString()) : UUID.randomUUID();
            String definition = existing.isPresent() ? existing.get().getXMLDesc(XML_INACTIVE) : null;
            NicNetworks.requireReady(connect, name, request);
            DomainResources.Prepared prepared = resources.prepare(name, uuid, domainType, request, root, instanceId,
                    definition);
            String desired = LibvirtXml.write(DomainFingerprint.stamped(DomainXmlConverter.convert(prepared.plan()),
                    prepared.plan().seedSha256()));
            Domain domain;
            try {
                NicNetworks.defineFilters(connect, name, request);
                domain = define(connect, existing, definition, desired, prepared.plan());
            } catch (LibvirtException | RuntimeException e) {
                prepared.undo().run();
                throw e;
            }
            if (domain.getAutostart() != request.autostart()) {
                domain.setAutostart(request.autostart());
            }
            boolean active = domain.isActive() == 1;
            if (active && definition != null
                    && DomainFingerprint.read(domain.getXMLDesc(0)).equals(DomainFingerprint.read(desired))) {
                // Started from the same definition, so within the same maxima: current values change live.
                LiveResize.apply(name, domain, LiveResize.Current.of(definition), LiveResize.Current.of(desired));
            }
            if (request.running() && !active) {
                start(name, domain, existing.isEmpty(), prepared);
            } else if (!request.running() && active) {
                stopper.begin(name);
            } else if (!active) {
                resources.removeUnrequestedDataDisks(name, request);
            }
            return status(name, domain);
        });
    }

    public DomainStatus get(String name) {
        return libvirt.call("read domain " + name, connect -> status(name, require(connect, name)));
    }

    /**
     * Pauses a running domain; a paused one stays paused. With {@code ownerUid}, another owner's domain is refused
     * (409 OwnedByAnotherObject); null checks nothing (callers outside Kubernetes).
     */
    public synchronized DomainStatus suspend(String name, String ownerUid) {
        owners.checkDelete(name, ownerUid); // the check a deletion makes: only the owner changes the domain's state
        return transition(name, "suspend", DomainPhase.Running, DomainPhase.Paused, Domain::suspend);
    }

    /** Continues a paused domain; a running one keeps running. The owner check as for {@link #suspend}. */
    public synchronized DomainStatus resume(String name, String ownerUid) {
        owners.checkDelete(name, ownerUid);
        return transition(name, "resume", DomainPhase.Paused, DomainPhase.Running, Domain::resume);
    }

    /** {@link #delete(String, String)} without an owner check. */
    public Optional<DomainStatus> delete(String name) {
        return delete(name, null);
    }

    /**
     * Removes the domain: a running guest is first asked to shut down (ACPI) and destroyed only when it has not
     * powered off within the shutdown timeout, as a stop does; the removal then finishes in the background and this
     * call answers the domain's status (the caller repeats the call until it answers empty). A domain that does not
     * run (paused guests cannot act on ACPI, so they are destroyed at once) is undefined with its NVRAM, and its data
     * disks, seed and console log are removed; absent is fine. With {@code ownerUid}, another owner's domain is
     * refused (409 OwnedByAnotherObject) and nothing is removed.
     *
     * @return the domain's status while its guest shuts down; empty once nothing of it is left
     */
    public synchronized Optional<DomainStatus> delete(String name, String ownerUid) {
        Optional<DomainStatus> shuttingDown = libvirt.call("delete domain " + name, connect -> {
            Optional<Domain> domain = lookup(connect, name);
            if (domain.isEmpty()) {
                stopper.cancel(name);
                return filtersLeft(connect, name);
            }
            owners.checkDelete(name, ownerUid);
            if (domain.get().isActive() == 1
                    && DomainStatusReader.phase(domain.get().getInfo().state) == DomainPhase.Running
                    && shutdownBegun(name, ownerUid, domain.get())) {
                return Optional.of(status(name, domain.get()));
            }
            stopper.cancel(name);
            if (domain.get().isActive() == 1) {
                destroyUnlessStopped(domain.get());
            }
            undefine(domain.get());
            return filtersLeft(connect, name);
        });
        if (shuttingDown.isPresent()) {
            LOG.info("domain={} deletion waits for the guest to shut down", name);
            return shuttingDown;
        }
        resources.deleteAll(name);
        owners.forget(name);
        LOG.info("domain={} deleted", name);
        return Optional.empty();
    }

    /**
     * The domain is gone; its NICs' own filters go now, or, while libvirt still holds one as in use (right after a
     * destroy), on the caller's next DELETE: meanwhile the deletion answers as under way.
     */
    private static Optional<DomainStatus> filtersLeft(Connect connect, String name) throws LibvirtException {
        return NicFirewalls.removeAll(connect, name) ? Optional.empty()
                : Optional.of(new DomainStatus(name, null, DomainPhase.Stopped));
    }

    /** The second half of a deletion whose guest had to shut down first; the caller's next DELETE finds nothing. */
    private void finishDeletion(String name, String ownerUid) {
        try {
            delete(name, ownerUid);
        } catch (RuntimeException e) {
            // The caller repeats its DELETE until the domain is gone; that call reports what fails.
            LOG.warn("domain={} deletion after shutdown failed error={}", name, e.getMessage());
        }
    }

    /** Where the domain's serial console is logged (a fresh log from each start). */
    public Path consoleLog(String name) {
        return resources.consoles(name).log();
    }

    /**
     * The socket to relay for a user's console: only a domain this agent defined (its fingerprint in the description;
     * anything else on the host is "not found"), only while it runs, and for VNC only when its definition has VNC.
     *
     * @param vnc the VNC socket rather than the serial console's
     */
    public Path consoleSocket(String name, boolean vnc) {
        ConsoleFiles consoles = resources.consoles(name);
        Path socket = vnc ? consoles.vncSocket() : consoles.serialSocket();
        return libvirt.call("open the console of domain " + name, connect -> {
            Domain domain = lookup(connect, name).filter(DomainService::definedByAgent).orElseThrow(() ->
                    AgentException.notFound(AgentErrorReasons.DOMAIN_NOT_FOUND, "domain " + name
                            + " is not a domain of this agent"));
            if (DomainStatusReader.phase(domain.getInfo().state) == DomainPhase.Stopped || domain.isActive() != 1) {
                throw AgentException.conflict(AgentErrorReasons.CONSOLE_UNAVAILABLE, "domain " + name
                        + " is not running: its console exists only while it runs");
            }
            String attribute = vnc ? "/domain/devices/graphics[@type='vnc']/@socket" : "/domain/devices/serial/source/@path";
            if (!LibvirtXml.parse(domain.getXMLDesc(0)).value(attribute).map(socket.toString()::equals).orElse(false)) {
                throw AgentException.conflict(AgentErrorReasons.CONSOLE_UNAVAILABLE, vnc
                        ? "domain " + name + " runs without VNC (ask for it in the VM's spec.console.vnc; it applies at the next start)"
                        : "domain " + name + " runs without a console socket (defined by an older agent): restart it");
            }
            return socket;
        });
    }

    private static boolean definedByAgent(Domain domain) {
        try {
            return DomainFingerprint.read(domain.getXMLDesc(XML_INACTIVE)).isPresent();
        } catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public void close() {
        events.close();
        stopper.close();
    }

    /** Applies {@code action} to a domain in phase {@code from}; one already in {@code to} is left as it is. */
    private DomainStatus transition(String name, String operation, DomainPhase from, DomainPhase to,
                                    DomainAction action) {
        return libvirt.call(operation + " domain " + name, connect -> {
            Domain domain = require(connect, name);
            DomainPhase phase = DomainStatusReader.phase(domain.getInfo().state);
            if (phase == from) {
                action.apply(domain);
                LOG.info("domain={} phase={} by={}", name, to, operation);
            } else if (phase != to) {
                throw AgentException.conflict(AgentErrorReasons.INVALID_STATE,
                        "cannot " + operation + " domain " + name + " while it is " + phase);
            }
            return status(name, domain);
        });
    }

    /** A libvirt call on one domain. */
    @FunctionalInterface
    private interface DomainAction {
        void apply(Domain domain) throws LibvirtException;
    }

    /**
     * (Re)defines the domain when its fingerprint or its current vCPUs/memory differ from the persistent definition.
     *
     * @param definition the existing domain's persistent definition; null for a new domain
     * @param desired    the stamped definition to hold
     */
    private Domain define(Connect connect, Optional<Domain> existing, String definition, String desired,
                          DomainPlan plan) throws LibvirtException {
        if (existing.isPresent() && DomainFingerprint.read(definition).equals(DomainFingerprint.read(desired))
                && LiveResize.Current.of(definition).equals(LiveResize.Current.of(desired))) {
            return existing.get();
        }
        // A running domain takes a changed fingerprint at its next start; its status says a restart is required.
        Domain domain = connect.domainDefineXML(desired);
        LOG.info("domain={} {} uuid={} type={} firmware={}", plan.name(), existing.isPresent() ? "redefined" : "defined",
                plan.uuid(), plan.domainType(), plan.uefi() == null ? "bios" : "uefi");
        return domain;
    }

    /** Starts the domain; a domain defined by this very call is removed again when it cannot start. */
    private void start(String name, Domain domain, boolean definedNow, DomainResources.Prepared prepared)
            throws LibvirtException {
        stopper.cancel(name);
        try {
            domain.create();
        } catch (LibvirtException e) {
            if (definedNow) {
                undefine(domain);
                prepared.undo().run();
            }
            throw e;
        }
        LOG.info("domain={} phase=Running", name);
    }

    /** The seed's instance-id: the request's, else one that changes whenever the root volume is reprovisioned. */
    private String instanceId(String name, DomainRequest request) {
        if (request.cloudInit() == null) {
            return null;
        }
        if (request.cloudInit().instanceId() != null) {
            return request.cloudInit().instanceId();
        }
        String token = volumes.get(request.rootVolume()).populatedToken();
        return token == null ? name : name + "-" + token;
    }

    /**
     * Begins the graceful stop that ends in the deletion; false when the guest went off since it was looked at (an
     * earlier stop destroying it just then), so the deletion goes on at once.
     */
    private boolean shutdownBegun(String name, String ownerUid, Domain domain) throws LibvirtException {
        try {
            stopper.begin(name, () -> finishDeletion(name, ownerUid));
            return true;
        } catch (AgentException e) {
            if (domain.isActive() == 1) {
                throw e;
            }
            return false;
        }
    }

    /** Destroys the domain; one that stopped since it was looked at (a graceful stop ending now) is fine. */
    private static void destroyUnlessStopped(Domain domain) throws LibvirtException {
        try {
            domain.destroy();
        } catch (LibvirtException e) {
            if (e.getError() == null || e.getError().getCode() != ErrorNumber.VIR_ERR_OPERATION_INVALID
                    || domain.isActive() == 1) {
                throw e;
            }
        }
    }

    private static void undefine(Domain domain) throws LibvirtException {
        try {
            domain.undefine(UNDEFINE_NVRAM);
        } catch (LibvirtException e) {
            ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
            if (code != ErrorNumber.VIR_ERR_NO_SUPPORT && code != ErrorNumber.VIR_ERR_INVALID_ARG) {
                throw e;
            }
            domain.undefine(); // drivers without NVRAM support reject the flag
        }
    }

    private DomainStatus status(String name, Domain domain) throws LibvirtException {
        return DomainStatusReader.status(name, domain, resources.instanceId(name).orElse(null));
    }

    private static Optional<Domain> lookup(Connect connect, String name) throws LibvirtException {
        return LibvirtErrors.unlessNotFound(() -> connect.domainLookupByName(name));
    }

    private static Domain require(Connect connect, String name) throws LibvirtException {
        return lookup(connect, name).orElseThrow(() -> AgentException.notFound(AgentErrorReasons.DOMAIN_NOT_FOUND,
                "domain " + name + " is not defined"));
    }
}
