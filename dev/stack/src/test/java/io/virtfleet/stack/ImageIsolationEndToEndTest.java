package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.UnsafeImages;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * A tenant's image that names a host file as its qcow2 backing file, through the operator and a real agent on the real
 * libvirtd: the RootVolume fails with UnsafeImage and the host file's bytes reach no volume and no cache file.
 */
class ImageIsolationEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private LocalStack stack;
    private KubernetesClient client;

    @BeforeEach
    void startStack() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        String pool = "vf-iso-" + UUID.randomUUID().toString().substring(0, 8);
        stack = LocalStack.start(new LocalStack.Options(work.resolve("stack"), HostPrerequisites.LIBVIRT_URI, "qemu",
                pool));
        client = stack.kubernetes().client();
    }

    @AfterEach
    void stopStack() throws LibvirtException {
        if (stack != null) {
            stack.close();
            LibvirtPools.remove(stack.options().poolName());
        }
    }

    @Test
    void aBackingFileImageFailsAsUnsafeAndLeavesNothingOnTheNode() throws Exception {
        TestImage evil = UnsafeImages.backingFileImage(work.resolve("tenant-upload"), "evil");
        stack.putImage("tenant/evil.qcow2", evil);
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName("evil-root");
        volume.getMetadata().setNamespace(LocalStack.NAMESPACE);
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("s3://" + LocalStack.IMAGE_BUCKET + "/tenant/evil.qcow2", null));
        spec.setSize(new Quantity("128Mi"));
        volume.setSpec(spec);
        client.resource(volume).create();

        Condition ready = await().atMost(TIMEOUT).until(() -> Optional.ofNullable(rootVolume())
                        .flatMap(v -> Conditions.find(v.getStatus(), ConditionType.Ready)).orElse(null),
                c -> c != null && "UnsafeImage".equals(c.getReason()));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("backing file");
        assertThat(rootVolume().getStatus().getPhase()).isEqualTo(RootVolumePhase.Failed);

        LocalNode node = stack.node(LocalStack.NODE_NAME);
        String agentName = LocalStack.NAMESPACE + ".evil-root";
        // While the failed RootVolume exists the agent keeps only its owner record (who may reuse the name).
        Path ownerRecord = node.config().stateDir().resolve("owners").resolve("volumes").resolve(agentName + ".json");
        assertThat(new NodeContents(node).leftovers(agentName)).as("no volume, marker or file for it")
                .containsOnly("file " + ownerRecord);
        assertThat(node.config().cacheDir().resolve("sha256").resolve(evil.sha256())).doesNotExist();
        assertThat(node.config().cacheDir().resolve("tmp")).isEmptyDirectory();
        assertThat(UnsafeImages.filesWithSentinel(node.config().poolPath(), node.config().cacheDir(),
                node.config().stateDir())).as("files holding the host file's bytes").isEmpty();

        client.resource(rootVolume()).delete();
        await().atMost(TIMEOUT).until(() -> rootVolume() == null);
        assertThat(new NodeContents(node).leftovers(agentName)).as("nothing once the RootVolume is gone").isEmpty();
    }

    private RootVolume rootVolume() {
        return client.resources(RootVolume.class).inNamespace(LocalStack.NAMESPACE).withName("evil-root").get();
    }
}
