package io.virtfleet.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The volume API keeps out of exactly the names the provisioning call can make, and no others. */
class ProvisionReservedNamesTest {
    @Test
    void onlyTheCallsOwnNamesAreReserved() {
        assertThat(new String[]{"vf-prov-web", "vf-prov-ci", "vf-prov-0", "vf-prov-build-42"})
                .allMatch(ProvisionService::reserved);
    }

    @Test
    void operatorVolumesOfANamespaceNamedLikeTheSpaceAndDerivedVolumesAreNotReserved() {
        assertThat(new String[]{"vf-prov-ci.root", "vf-prov-ci.vf-prov-x", "vf-prov-web_vdb", "vf-prov-web_snap-1",
                "vf-prov-", "vf-prov--x", "vf-prov-WEB", "default.vf-prov-web", "web"})
                .noneMatch(ProvisionService::reserved);
    }
}
