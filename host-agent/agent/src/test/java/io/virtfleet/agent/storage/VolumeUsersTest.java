package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VolumeUsersTest {
    private static final VolumeInfo VOLUME = new VolumeInfo("pool1", "ns.root", "/pools/pool1/ns.root", 1L << 30, false);

    @Test
    void findsADiskThatNamesThePoolAndVolume() {
        assertThat(VolumeUsers.usesVolume(domainWithDisk("<source pool='pool1' volume='ns.root'/>"), VOLUME)).isTrue();
        assertThat(VolumeUsers.usesVolume(domainWithDisk("<source pool='pool2' volume='ns.root'/>"), VOLUME)).isFalse();
    }

    @Test
    void findsADiskThatNamesThePath() {
        assertThat(VolumeUsers.usesVolume(domainWithDisk("<source file='/pools/pool1/ns.root'/>"), VOLUME)).isTrue();
        assertThat(VolumeUsers.usesVolume(domainWithDisk("<source dev='/pools/pool1/ns.root'/>"), VOLUME)).isTrue();
        assertThat(VolumeUsers.usesVolume(domainWithDisk("<source file='/pools/pool1/other'/>"), VOLUME)).isFalse();
    }

    private static String domainWithDisk(String source) {
        return "<domain type='qemu'><name>d</name><devices><disk type='file' device='disk'>" + source
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>";
    }
}
