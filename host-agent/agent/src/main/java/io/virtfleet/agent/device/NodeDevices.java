package io.virtfleet.agent.device;

import java.util.List;

/** The host's PCI devices and which domains hold them; libvirt in the agent, fixtures in tests. */
public interface NodeDevices {
    List<PciDevice> pciDevices();

    /** Every PCI address a domain on this host holds (active or only defined; live or next-start definition). */
    List<HeldDevice> held();

    /**
     * @param domain        the domain's name
     * @param definedByAgent whether this agent defined it (its fingerprint in the description)
     */
    record HeldDevice(String address, String domain, boolean definedByAgent) {
    }
}
