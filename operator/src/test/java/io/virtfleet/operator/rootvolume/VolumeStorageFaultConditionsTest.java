package io.virtfleet.operator.rootvolume;

import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.OutcomeWriter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a RootVolume says when its node's disk fills up or the object store goes away, and after it comes back. */
class VolumeStorageFaultConditionsTest {
    private static final String SHA = "ab".repeat(32);
    private final Conditions conditions = new Conditions(Clock.systemUTC());
    private final VolumeStatusMirror mirror = new VolumeStatusMirror(conditions, Duration.ofMinutes(30));
    private final OutcomeWriter<RootVolumeStatus, RootVolumePhase> writer = new OutcomeWriter<>(conditions,
            RootVolumeStatus::getPhase, RootVolumeStatus::setPhase, RootVolumePhase.Pending);

    private static VolumeStatus observed(VolumePhase phase, String devicePath, AgentError error) {
        return new VolumeStatus("default.web01-root", phase, devicePath, SHA, 0, 0, null, error, true);
    }

    private RootVolumeStatus onNode() {
        RootVolumeStatus status = new RootVolumeStatus();
        status.setNodeName("node-a");
        return status;
    }

    private void apply(RootVolumeStatus status, VolumeStatus observed) {
        writer.write(status, 1, mirror.mirror(status, 1, observed));
    }

    private static Condition condition(RootVolumeStatus status, ConditionType type) {
        return Conditions.find(status, type).orElseThrow();
    }

    @Test
    void aFullCacheDiskFailsTheVolumeNamingTheNodeAndTheImageIsNotCached() {
        RootVolumeStatus status = onNode();
        apply(status, observed(VolumePhase.Failed, null, new AgentError(AgentErrorReasons.HOST_DISK_FULL,
                "the image cache's file system (/var/lib/virtfleet/cache) is full: ...")));

        assertThat(status.getPhase()).isEqualTo(RootVolumePhase.Failed);
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("HostDiskFull");
        assertThat(condition(status, ConditionType.Ready).getMessage()).startsWith("node node-a: the image cache's");
        assertThat(condition(status, ConditionType.ImageCached).getReason()).isEqualTo("HostDiskFull");
        assertThat(condition(status, ConditionType.ImageCached).getStatus()).isEqualTo("False");
    }

    @Test
    void aFullPoolDiskFailsTheVolumeAndLeavesTheCachedImageCached() {
        RootVolumeStatus status = onNode();
        apply(status, observed(VolumePhase.Populating, "/pool/default.web01-root", null));
        apply(status, observed(VolumePhase.Failed, "/pool/default.web01-root", new AgentError(
                AgentErrorReasons.HOST_DISK_FULL, "the storage pool virtfleet holding /pool/x is full: ...")));

        assertThat(status.getPhase()).isEqualTo(RootVolumePhase.Failed);
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("HostDiskFull");
        assertThat(condition(status, ConditionType.ImageCached).getStatus()).isEqualTo("True");
        assertThat(condition(status, ConditionType.Populated).getStatus()).isEqualTo("False");
    }

    @Test
    void anObjectStoreOutageIsSaidWhileItLastsIsWaitedOutAndClearsWhenTheStoreReturns() {
        RootVolumeStatus status = onNode();
        AgentError outage = new AgentError(AgentErrorReasons.OBJECT_STORE_UNREACHABLE,
                "the object store does not answer for s3://images/a.qcow2: retrying: Connection refused");

        apply(status, observed(VolumePhase.Downloading, null, outage));
        assertThat(status.getPhase()).isEqualTo(RootVolumePhase.Downloading);
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("ObjectStoreUnreachable");
        assertThat(condition(status, ConditionType.ImageCached).getReason()).isEqualTo("ObjectStoreUnreachable");
        assertThat(condition(status, ConditionType.ImageCached).getMessage()).startsWith("node node-a: ")
                .endsWith("(the agent keeps retrying)");

        apply(status, observed(VolumePhase.Failed, null, outage)); // the agent's retries are used up
        assertThat(status.getPhase()).as("an outage is waited out, not a failure").isEqualTo(RootVolumePhase.Downloading);
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("ObjectStoreUnreachable");

        apply(status, observed(VolumePhase.Downloading, null, null)); // the store is back: bytes flow again
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("Downloading");
        apply(status, new VolumeStatus("default.web01-root", VolumePhase.Ready, "/pool/default.web01-root", SHA,
                1, 1, "1", null, true));
        assertThat(status.getPhase()).isEqualTo(RootVolumePhase.Ready);
        assertThat(condition(status, ConditionType.ImageCached).getReason()).isEqualTo("ImageCached");
    }
}
