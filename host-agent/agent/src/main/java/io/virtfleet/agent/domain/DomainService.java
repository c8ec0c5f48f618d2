package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.agent.storage.VolumeInfo;
import io.virtfleet.agent.storage.VolumeService;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declarative domain API: PUT defines the domain (redefining it when the request changed what the agent owns)
 * and starts or stops it to match {@code running}; GET reports libvirt's view; DELETE destroys and undefines.
 */
public final class DomainService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainService.class);
    /** virDomainXMLFlags VIR_DOMAIN_XML_INACTIVE: the persistent definition, not the running instance. */
    private static final int XML_INACTIVE = 2;
    /** virDomainUndefineFlagsValues VIR_DOMAIN_UNDEFINE_NVRAM (libvirt-java 0.5.4 has no constant for it). */
    private static final int UNDEFINE_NVRAM = 4;
    private static final long MIN_MEMORY_BYTES = 16L << 20;

    private final LibvirtConnection libvirt;
    private final VolumeService volumes;
    private final String domainType;
    private final GracefulStop stopper;

    public DomainService(LibvirtConnection libvirt, VolumeService volumes, String domainType, Duration shutdownTimeout) {
        this.libvirt = libvirt;
        this.volumes = volumes;
        this.domainType = domainType;
        this.stopper = new GracefulStop(libvirt, shutdownTimeout);
    }

    public synchronized DomainStatus put(String name, DomainRequest request) {
        validate(request);
        VolumeInfo root = volumes.requireReady(request.rootVolume());
        return libvirt.call("apply domain " + name, connect -> {
            Optional<Domain> existing = lookup(connect, name);
            UUID uuid = existing.isPresent() ? UUID.fromString(existing.get().getUUIDString()) : UUID.randomUUID();
            DomainXml desired = DomainXmlConverter.convert(name, uuid, request, domainType, root);
            boolean matches = existing.isPresent()
                    && DomainShape.parse(existing.get().getXMLDesc(XML_INACTIVE)).equals(DomainShape.of(desired));
            Domain domain = existing.orElse(null);
            if (!matches) {
                // A running domain takes a changed definition at its next start.
                domain = connect.domainDefineXML(LibvirtXml.write(desired));
                LOG.info("domain={} {} uuid={} type={}", name, existing.isPresent() ? "redefined" : "defined", uuid, domainType);
            }
            boolean active = domain.isActive() == 1;
            if (request.running() && !active) {
                stopper.cancel(name);
                domain.create();
                LOG.info("domain={} phase=Running", name);
            } else if (!request.running() && active) {
                stopper.begin(name);
            }
            return status(name, domain);
        });
    }

    public DomainStatus get(String name) {
        return libvirt.call("read domain " + name, connect -> status(name, lookup(connect, name)
                .orElseThrow(() -> notFound(name))));
    }

    /** Destroys the domain if it runs and undefines it (with its NVRAM); absent is fine. */
    public synchronized void delete(String name) {
        stopper.cancel(name);
        libvirt.call("delete domain " + name, connect -> {
            Optional<Domain> domain = lookup(connect, name);
            if (domain.isEmpty()) {
                return null;
            }
            if (domain.get().isActive() == 1) {
                domain.get().destroy();
            }
            undefine(domain.get());
            LOG.info("domain={} deleted", name);
            return null;
        });
    }

    @Override
    public void close() {
        stopper.close();
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

    private static DomainStatus status(String name, Domain domain) throws LibvirtException {
        return new DomainStatus(name, domain.getUUIDString(), phase(domain.getInfo().state));
    }

    static DomainPhase phase(DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainPhase.Running;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> DomainPhase.Paused;
            case VIR_DOMAIN_CRASHED -> DomainPhase.Crashed;
            case VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_NOSTATE -> DomainPhase.Stopped;
        };
    }

    private static Optional<Domain> lookup(Connect connect, String name) throws LibvirtException {
        return LibvirtErrors.unlessNotFound(() -> connect.domainLookupByName(name));
    }

    private static AgentException notFound(String name) {
        return AgentException.notFound(AgentErrorReasons.DOMAIN_NOT_FOUND, "domain " + name + " is not defined");
    }

    private static void validate(DomainRequest request) {
        if (request == null) {
            throw AgentException.invalid("a domain request body is required");
        }
        if (request.vcpus() < 1) {
            throw AgentException.invalid("vcpus must be at least 1, got " + request.vcpus());
        }
        if (request.memoryBytes() < MIN_MEMORY_BYTES) {
            throw AgentException.invalid("memoryBytes must be at least " + MIN_MEMORY_BYTES + ", got " + request.memoryBytes());
        }
        if (request.rootVolume() == null || request.rootVolume().isBlank()) {
            throw AgentException.invalid("rootVolume is required");
        }
    }
}
