package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconcile may start from an informer copy that does not yet hold the previous reconcile's status write (a
 * reprovision: one reconcile writes Downloading, the next one, still reading Ready under token 1, finds the volume
 * Ready under token 2). Its whole status must land, coherent, at once (against the Fabric8 mock API in CRUD mode, a
 * JSON Patch diffed against that copy never got an answer and the reconcile hung).
 */
@EnableKubernetesMockClient(crud = true)
class StatusReplaceTest {
    KubernetesClient client;

    @BeforeEach
    void createTheRootVolumeDefinition() throws IOException {
        try (InputStream crd = getClass().getResourceAsStream("/META-INF/fabric8/rootvolumes.virtfleet.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    @Test
    @Timeout(20)
    void aStatusWrittenFromAStaleCopyReplacesTheNewerOneWhole() {
        RootVolume stale = readyUnderToken1();

        StatusReplace.write(client, withStatus(stale, RootVolumePhase.Downloading, null));
        StatusReplace.write(client, withStatus(stale, RootVolumePhase.Ready, "2"));

        RootVolume now = client.resource(stale).get();
        assertThat(now.getStatus().getPhase()).isEqualTo(RootVolumePhase.Ready);
        assertThat(now.getStatus().getPopulatedToken()).isEqualTo("2");
        assertThat(now.getStatus().getDevicePath()).isEqualTo("/dev/pool/web01-root");
        assertThat(now.getSpec().getSize()).as("only the status is written").isEqualTo(new Quantity("1Gi"));
        assertThat(now.getMetadata().getFinalizers()).containsExactly("rootvolumes.virtfleet.io/finalizer");
    }

    @Test
    @Timeout(20)
    void aFieldTheNewStatusLacksIsGoneInsteadOfKept() {
        RootVolume stale = readyUnderToken1();

        StatusReplace.write(client, withStatus(stale, RootVolumePhase.Downloading, null));

        RootVolume now = client.resource(stale).get();
        assertThat(now.getStatus().getPhase()).isEqualTo(RootVolumePhase.Downloading);
        assertThat(now.getStatus().getPopulatedToken()).as("a volume being populated holds no token").isNull();
    }

    /** The informer's copy as a reconcile sees it: Ready under token 1, with its resourceVersion of then. */
    private RootVolume readyUnderToken1() {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName("web01-root");
        volume.getMetadata().setNamespace("team-a");
        volume.getMetadata().setFinalizers(List.of("rootvolumes.virtfleet.io/finalizer"));
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("https://images.example/x.qcow2", null));
        spec.setSize(new Quantity("1Gi"));
        volume.setSpec(spec);
        RootVolume created = client.resource(volume).create();
        return client.resource(withStatus(created, RootVolumePhase.Ready, "1")).updateStatus();
    }

    /** A reconcile's result: a copy of what it read, with the status it concluded. */
    private static RootVolume withStatus(RootVolume read, RootVolumePhase phase, String token) {
        RootVolume copy = Serialization.clone(read);
        RootVolumeStatus status = new RootVolumeStatus();
        status.setPhase(phase);
        status.setPopulatedToken(token);
        status.setDevicePath("/dev/pool/web01-root");
        copy.setStatus(status);
        return copy;
    }
}
