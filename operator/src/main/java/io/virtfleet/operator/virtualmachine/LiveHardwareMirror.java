package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.LiveHardware;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.base.Quantities;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mirrors the running domain's vCPUs and memory into {@code status.hardware} (absent while it does not run) and names
 * a change the same running instance took live, for a {@code HardwareUpdated} Event. A start, a stop or a restart
 * with other maxima is not a live change: phases and conditions tell those.
 */
final class LiveHardwareMirror {
    private LiveHardwareMirror() {
    }

    /** @return what changed live, as an Event message; empty when nothing did */
    static Optional<String> mirror(VirtualMachineStatus status, DomainStatus observed) {
        LiveHardware before = status.getHardware();
        LiveHardware now = of(observed.hardware());
        status.setHardware(now);
        if (before == null || now == null || !Objects.equals(before.getMaxVcpus(), now.getMaxVcpus())
                || !Objects.equals(before.getMaxMemory(), now.getMaxMemory())) {
            return Optional.empty();
        }
        List<String> changes = new ArrayList<>();
        if (!Objects.equals(before.getVcpus(), now.getVcpus())) {
            changes.add("vCPUs " + before.getVcpus() + " -> " + now.getVcpus());
        }
        if (!Objects.equals(before.getMemory(), now.getMemory())) {
            changes.add("memory " + before.getMemory() + " -> " + now.getMemory() + " (balloon)");
        }
        return changes.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", changes) + " on the running guest, without a restart");
    }

    static LiveHardware of(DomainStatus.LiveHardware observed) {
        if (observed == null) {
            return null;
        }
        LiveHardware hardware = new LiveHardware();
        hardware.setVcpus(observed.vcpus());
        hardware.setMaxVcpus(observed.maxVcpus());
        hardware.setMemory(Quantities.ofBytes(observed.memoryBytes()));
        hardware.setMaxMemory(Quantities.ofBytes(observed.maxMemoryBytes()));
        return hardware;
    }
}
