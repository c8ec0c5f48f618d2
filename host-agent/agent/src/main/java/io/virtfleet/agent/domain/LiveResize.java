package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vCPU and memory changes on a running domain, within the maxima it was started with: vCPUs are hot-plugged
 * ({@code virDomainSetVcpusFlags} with {@code VIR_DOMAIN_AFFECT_LIVE}), memory moves by the virtio balloon's target
 * ({@code virDomainSetMemory}, live). The persistent definition already holds the new values (the domain was
 * redefined), so a restart keeps them. Each change is tried once, when a request changes the definition's current
 * values: a guest that refuses (vCPU unplug needs its cooperation) leaves the live count where it was, which
 * {@link #pending} then reports as a restart to come, without a retry on every request.
 */
final class LiveResize {
    private static final Logger LOG = LoggerFactory.getLogger(LiveResize.class);
    /** virDomainModificationImpact VIR_DOMAIN_AFFECT_LIVE. */
    private static final int AFFECT_LIVE = 1;
    private static final long KIB = 1024;

    private LiveResize() {
    }

    /** The current (not maximum) vCPUs and memory of a domain definition. */
    record Current(int vcpus, long memoryKib) {
        /** {@code <vcpu current>} (else the maximum) and {@code <currentMemory>} (else {@code <memory>}), in KiB. */
        static Current of(String libvirtXml) {
            LibvirtXml.Parsed xml = LibvirtXml.parse(libvirtXml);
            int vcpus = Integer.parseInt(xml.value("/domain/vcpu/@current").orElseGet(
                    () -> xml.value("/domain/vcpu").orElseThrow().strip()));
            long memory = kib(xml, "/domain/currentMemory").orElseGet(() -> kib(xml, "/domain/memory").orElseThrow());
            return new Current(vcpus, memory);
        }

        private static Optional<Long> kib(LibvirtXml.Parsed xml, String element) {
            return xml.value(element).map(value -> {
                String unit = xml.value(element + "/@unit").orElse("KiB");
                long number = Long.parseLong(value.strip());
                return switch (unit) {
                    case "b", "bytes" -> Math.ceilDiv(number, KIB);
                    case "KiB", "k" -> number;
                    case "MiB", "M" -> number * KIB;
                    case "GiB", "G" -> number * KIB * KIB;
                    default -> throw new IllegalStateException("unexpected memory unit " + unit + " in " + element);
                };
            });
        }
    }

    /**
     * Applies what changed between {@code before} and {@code wanted} to the running domain. A refusal by libvirt or
     * the guest is logged, not thrown: the request itself succeeded (the definition holds it) and the status shows
     * what runs.
     */
    static void apply(String name, Domain domain, Current before, Current wanted) throws LibvirtException {
        if (before.vcpus() != wanted.vcpus() && domain.getInfo().nrVirtCpu != wanted.vcpus()) {
            try {
                domain.setVcpusFlags(wanted.vcpus(), AFFECT_LIVE);
                LOG.info("domain={} vcpus={} applied=live", name, wanted.vcpus());
            } catch (LibvirtException e) {
                LOG.warn("domain={} vcpus={} not applied live (a restart applies it) error={}", name, wanted.vcpus(),
                        e.getMessage());
            }
        }
        if (before.memoryKib() != wanted.memoryKib()) {
            try {
                domain.setMemory(wanted.memoryKib());
                LOG.info("domain={} memoryKib={} applied=balloon-target", name, wanted.memoryKib());
            } catch (LibvirtException e) {
                LOG.warn("domain={} memoryKib={} balloon target not set (a restart applies it) error={}", name,
                        wanted.memoryKib(), e.getMessage());
            }
        }
    }

    /** A running domain whose plugged vCPUs differ from its definition's: a restart applies the definition. */
    static boolean pending(Domain domain, String inactiveXml) throws LibvirtException {
        return domain.getInfo().nrVirtCpu != Current.of(inactiveXml).vcpus();
    }

    /** What the running domain has: plugged vCPUs and their maximum, the balloon's actual size and its ceiling. */
    static DomainStatus.LiveHardware observe(Domain domain) throws LibvirtException {
        DomainInfo info = domain.getInfo();
        return new DomainStatus.LiveHardware(info.nrVirtCpu, domain.getMaxVcpus(), info.memory * KIB,
                info.maxMem * KIB);
    }
}
