package io.virtfleet.operator.spec;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.crds.v1alpha1.Patterns;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's patterns ({@code crds}) and the agent's ({@code contract}) are the same rules: the modules do not depend
 * on each other, so each holds its copy once and this test keeps the two equal. A value the API server admits is
 * never one the agent refuses.
 */
class WirePatternsTest {
    @Test
    void bridgeDataDiskAndMacRulesAreTheSameOnBothSides() {
        assertThat(Patterns.BRIDGE).isEqualTo("^" + DomainRequest.Nic.BRIDGE + "$");
        assertThat(Patterns.DATA_DISK_DEVICE).isEqualTo("^" + DomainRequest.DataDisk.DEVICE + "$");
        assertThat(Patterns.MAC).isEqualTo(MacAddresses.FORMAT);
    }
}
