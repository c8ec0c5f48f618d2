package io.virtfleet.agent.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.contract.MacAddresses;
import org.junit.jupiter.api.Test;

class MacAddressesTest {
    @Test
    void derivesBeefPlusTheFourOctetsInHex() {
        assertThat(MacAddresses.fromIpv4("10.0.0.5")).isEqualTo("be:ef:0a:00:00:05");
        assertThat(MacAddresses.fromIpv4("192.168.255.1/24")).isEqualTo("be:ef:c0:a8:ff:01");
    }

    @Test
    void refusesWhatIsNotAnIpv4Address() {
        assertThatThrownBy(() -> MacAddresses.fromIpv4("256.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddresses.fromIpv4("fd00::1/64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddresses.fromIpv4(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalizesMacsToLowerCaseColonForm() {
        assertThat(MacAddresses.normalize("BE-EF-0A-00-00-05")).isEqualTo("be:ef:0a:00:00:05");
        assertThatThrownBy(() -> MacAddresses.normalize("be:ef:0a")).isInstanceOf(IllegalArgumentException.class);
    }
}
