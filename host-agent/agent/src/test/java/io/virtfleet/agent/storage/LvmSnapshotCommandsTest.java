package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The LVM command lines of snapshots in logical pools. These machines have no device-mapper, so no logical volume can
 * exist here and the commands are never run in a test; what is proven is the exact command the agent runs.
 */
class LvmSnapshotCommandsTest {
    private final LvmSnapshotCommands lvm = new LvmSnapshotCommands("vg_fleet");

    @Test
    void aSnapshotIsAsLargeAsItsOriginSoItCanNeverOverflow() {
        assertThat(lvm.create("ns.web01-root", "ns.snap1_snapshot", 21_474_836_480L)).containsExactly(
                "lvcreate", "--snapshot", "--size", "21474836480b", "--name", "ns.snap1_snapshot",
                "vg_fleet/ns.web01-root");
    }

    @Test
    void aRestoreMergesTheSnapshotBackIntoItsOrigin() {
        assertThat(lvm.merge("ns.snap1_snapshot")).containsExactly("lvconvert", "--merge", "vg_fleet/ns.snap1_snapshot");
    }

    @Test
    void namesReachLvmAsSingleArgumentsNeverThroughAShell() {
        assertThat(lvm.create("a", "b;rm -rf /", 1)).contains("b;rm -rf /").doesNotContain("sh", "-c");
    }
}
