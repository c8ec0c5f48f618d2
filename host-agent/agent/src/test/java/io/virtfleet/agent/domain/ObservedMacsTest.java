package io.virtfleet.agent.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The MACs a domain status reports are read from libvirt's XML, in guest order, whatever the request said. */
class ObservedMacsTest {
    @Test
    void theMacsOfEveryInterfaceAreReadInOrder() {
        String xml = """
                <domain type="qemu"><name>default.web01</name><devices>
                  <interface type="bridge"><mac address="be:ef:0a:00:00:05"/><source bridge="br0"/></interface>
                  <interface type="bridge"><mac address="52:54:00:12:34:56"/><source bridge="br1"/></interface>
                </devices></domain>
                """;

        assertThat(DomainStatusReader.macAddresses(xml)).containsExactly("be:ef:0a:00:00:05", "52:54:00:12:34:56");
    }

    @Test
    void aDomainWithoutInterfacesHasNone() {
        assertThat(DomainStatusReader.macAddresses("<domain type=\"qemu\"><devices/></domain>")).isEmpty();
    }
}
