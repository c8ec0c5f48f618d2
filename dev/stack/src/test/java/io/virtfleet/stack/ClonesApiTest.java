package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.crds.v1alpha1.CloneSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Cloned RootVolumes ({@code spec.source}) through the operator on the mock API with the real agent and its
 * {@code dir} pool on the real libvirtd: a clone of a RootVolume and of a VirtualMachineSnapshot equal their sources
 * by digest; a source of another namespace is never found, a clone pinned to another node is refused.
 */
class ClonesApiTest extends SnapshotApiTests {
    @Test
    void clonesOfARootVolumeAndOfASnapshotEqualTheirSourcesByDigest() throws Exception {
        VirtualMachine vm = runningVm("api-clone-src");
        awaitStatus(client.resource(snapshot("api-clone-src-1", "api-clone-src")).create(),
                s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
        halt(vm);

        RootVolume ofVolume = awaitStatus(create("api-clone-of-volume", clone(CloneSource.ofRootVolume("api-clone-src-root"))),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);
        assertThat(ofVolume.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(TestImages.sha256(volumeFile("api-clone-of-volume")))
                .isEqualTo(TestImages.sha256(volumeFile("api-clone-src-root")));

        RootVolume ofSnapshot = awaitStatus(create("api-clone-of-snap", clone(CloneSource.ofSnapshot("api-clone-src-1"))),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);
        Path snapshotFile = Path.of(stack.agent().getSnapshot(AgentNames.of(ReconcilerStack.NAMESPACE,
                "api-clone-src-1")).orElseThrow().devicePath());
        assertThat(TestImages.sha256(volumeFile(ofSnapshot.getMetadata().getName())))
                .isEqualTo(TestImages.sha256(snapshotFile));

        client.resource(ofVolume).delete();
        Path cloneFile = Path.of(ofVolume.getStatus().getDevicePath());
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> client.resource(ofVolume).get() == null);
        assertThat(cloneFile).doesNotExist();
        assertThat(volumeFile("api-clone-src-root")).as("the source stays").isRegularFile();
    }

    @Test
    void aSourceOfAnotherNamespaceIsNeverFoundAndAnotherNodeIsRefused() {
        runningVm("api-clone-guarded");
        RootVolume foreign = clone(CloneSource.ofRootVolume("api-clone-guarded-root"));
        foreign.getMetadata().setName("api-clone-theft");
        foreign.getMetadata().setNamespace("intruder");
        RootVolume waiting = awaitStatus(client.resource(foreign).create(),
                v -> Reason.SOURCE_NOT_READY.equals(ready(v).getReason()));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(RootVolumePhase.Pending);
        assertThat(ready(waiting).getMessage()).contains("namespace intruder");

        RootVolume elsewhere = clone(CloneSource.ofRootVolume("api-clone-guarded-root"));
        elsewhere.getSpec().setNodeName("another-node");
        RootVolume refused = awaitStatus(create("api-clone-elsewhere", elsewhere.getSpec()),
                v -> v.getStatus().getPhase() == RootVolumePhase.Failed);
        assertThat(ready(refused).getReason()).isEqualTo(Reason.SOURCE_ON_ANOTHER_NODE);
        assertThat(ready(refused).getMessage()).contains(LocalStack.NODE_NAME, "another-node");
    }

    private static RootVolume clone(CloneSource source) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setSource(source);
        spec.setSize(new Quantity("64Mi"));
        RootVolume volume = new RootVolume();
        volume.getMetadata().setNamespace(ReconcilerStack.NAMESPACE);
        volume.setSpec(spec);
        return volume;
    }

    private RootVolume create(String name, RootVolume template) {
        return create(name, template.getSpec());
    }
}
