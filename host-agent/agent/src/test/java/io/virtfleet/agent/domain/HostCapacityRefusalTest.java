package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.NodeInfo;

/** Domains larger than the host, against libvirt's test driver (no daemon; its node has fixed CPUs and memory). */
class HostCapacityRefusalTest {
    private final LibvirtConnection libvirt = LibvirtConnection.open("test:///default");
    private final NodeInfo node = libvirt.call("read node", connect -> connect.nodeInfo());

    @AfterEach
    void close() {
        libvirt.close();
    }

    @Test
    void moreVcpusThanTheHostHasAreAConflictNamingBothFigures() {
        AgentException refused = catchThrowableOfType(AgentException.class, () -> HostCapabilities.requireFits(libvirt,
                new DomainRequest(node.cpus + 1, 64L << 20, "root", true)));
        assertThat(refused.kind()).isEqualTo(AgentException.Kind.CONFLICT);
        assertThat(refused.reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);
        assertThat(refused.getMessage()).contains((node.cpus + 1) + " vCPUs").contains(node.cpus + " logical CPUs");
    }

    @Test
    void moreMemoryThanTheHostHasIsAConflict() {
        long hostBytes = node.memory * 1024;
        AgentException refused = catchThrowableOfType(AgentException.class, () -> HostCapabilities.requireFits(libvirt,
                new DomainRequest(1, hostBytes + 1, "root", true)));
        assertThat(refused.reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);
        assertThat(refused.getMessage()).contains(String.valueOf(hostBytes));
    }

    /** A running domain grows to its maxima without asking again: they must fit the host, not only the current values. */
    @Test
    void maximaAboveTheHostAreAConflictEvenWhenTheCurrentValuesFit() {
        AgentException vcpus = catchThrowableOfType(AgentException.class, () -> HostCapabilities.requireFits(libvirt,
                new DomainRequest(1, 64L << 20, "root", true).withMaxima(new DomainRequest.Maxima(node.cpus + 1, null))));
        assertThat(vcpus.reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);
        assertThat(vcpus.getMessage()).contains("up to " + (node.cpus + 1) + " vCPUs");
        long hostBytes = node.memory * 1024;
        AgentException memory = catchThrowableOfType(AgentException.class, () -> HostCapabilities.requireFits(libvirt,
                new DomainRequest(1, 64L << 20, "root", true).withMaxima(new DomainRequest.Maxima(null, hostBytes + 1))));
        assertThat(memory.reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);
        assertThat(memory.getMessage()).contains(String.valueOf(hostBytes + 1));
    }

    @Test
    void exactlyTheHostsSizeFits() {
        assertThatCode(() -> HostCapabilities.requireFits(libvirt,
                new DomainRequest(node.cpus, node.memory * 1024, "root", true))).doesNotThrowAnyException();
    }
}
