package io.virtfleet.stack;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Injected: the stack's S3 server stopped before a RootVolume is created and started again (same port, same objects)
 * once the RootVolume says the store is unreachable. Driven through the operator: the condition names the outage
 * while it lasts, the volume waits (not Failed), and it becomes Ready by itself with the image's digest afterwards.
 */
class ObjectStoreOutageFaultTest extends ReconcilerApiTests {
    /** The agent's retries (about 8 s), then the operator's retry interval (30 s), then the download. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    @Test
    void aVolumeSaysTheObjectStoreIsUnreachableWhileItIsDownAndIsReadyOnceItIsBack() {
        InProcessS3 s3 = stack.stack().s3();
        RootVolume waiting;
        s3.close();
        try {
            RootVolume volume = create("fault-s3-outage", SampleObjects.volumeSpec("64Mi"));
            waiting = await().atMost(Duration.ofSeconds(60)).until(() -> client.resource(volume).get(),
                    v -> v.getStatus() != null
                            && AgentErrorReasons.OBJECT_STORE_UNREACHABLE.equals(ready(v).getReason()));
        } finally {
            s3.restart();
        }

        assertThat(waiting.getStatus().getPhase()).as("an outage is waited out").isEqualTo(RootVolumePhase.Downloading);
        assertThat(ready(waiting).getMessage()).startsWith("node " + LocalStack.NODE_NAME + ": ")
                .contains("object store does not answer");
        assertThat(Conditions.find(waiting.getStatus(), ConditionType.ImageCached)).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE));

        RootVolume ready = await().atMost(RECOVERY).until(() -> client.resource(waiting).get(),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);
        assertThat(ready.getStatus().getImageSha256()).isEqualTo(stack.stack().sampleImage().sha256());
        assertThat(ready.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("True"));
        client.resource(ready).delete();
    }
}
