package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.virtfleet.crds.v1alpha1.DeletionPolicy;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineImage;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RootVolume reconciler against the mock API and a real agent populating a libvirt dir pool from the in-process
 * S3 server: binding, progress to Ready, conditions, Events, the finalizer with both deletion policies, refusals.
 */
class RootVolumeApiTest extends ReconcilerApiTests {
    @Test
    void aVolumeIsBoundPopulatedAndReadyWithItsConditionsAndEvents() throws Exception {
        RootVolume volume = create("api-ready", SampleObjects.volumeSpec("64Mi"));

        RootVolume ready = awaitStatus(volume, v -> v.getStatus().getPhase() == RootVolumePhase.Ready);

        assertThat(ready.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(ready.getStatus().getImageSha256()).isEqualTo(stack.stack().sampleImage().sha256());
        assertThat(ready.getStatus().getConditions()).extracting(Condition::getType)
                .containsExactly("Scheduled", "ImageCached", "Populated", "Ready");
        assertThat(ready.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getMetadata().getFinalizers()).isNotEmpty();
        assertThat(stack.agent().getVolume(AgentNames.of(ready))).isPresent();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(ready))
                .extracting(Event::getReason).contains(Reason.VOLUME_READY));
    }

    @Test
    void deletingAVolumeRemovesItFromTheNodeUnlessItsPolicySaysRetain() throws Exception {
        RootVolume deleted = awaitStatus(create("api-delete", SampleObjects.volumeSpec("64Mi")),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);
        RootVolumeSpec retainedSpec = SampleObjects.volumeSpec("64Mi");
        retainedSpec.setDeletionPolicy(DeletionPolicy.Retain);
        RootVolume retained = awaitStatus(create("api-retain", retainedSpec),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);

        client.resource(deleted).delete();
        client.resource(retained).delete();

        await().atMost(TIMEOUT).until(() -> client.resource(deleted).get() == null
                && client.resource(retained).get() == null);
        assertThat(stack.agent().getVolume(AgentNames.of(deleted))).isEmpty();
        assertThat(stack.agent().getVolume(AgentNames.of(retained))).isPresent();
        assertThat(stack.events(retained)).extracting(Event::getReason).contains(Reason.RETAINED);
        stack.agent().deleteVolume(AgentNames.of(retained), retained.getMetadata().getUid());
    }

    @Test
    void anOverlayIsReadyOverTheNodesCachedImageAndItsDeletionUnpinsTheImage() throws Exception {
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.setProvisioning(Provisioning.Overlay);
        RootVolume ready = awaitStatus(create("api-overlay", spec),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);

        Path cache = stack.stack().agent().config().cacheDir();
        Path entry = cache.resolve("sha256").resolve(stack.stack().sampleImage().sha256());
        Process info = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", ready.getStatus().getDevicePath())
                .redirectErrorStream(true).start();
        String json = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(info.waitFor()).as(json).isZero();
        assertThat(json).contains("\"format\": \"qcow2\"", "\"full-backing-filename\": \"" + entry + "\"",
                "\"backing-filename-format\": \"qcow2\"");
        Path pin = cache.resolve("pins").resolve(AgentNames.of(ready));
        assertThat(pin).hasContent(stack.stack().sampleImage().sha256());

        client.resource(ready).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(ready).get() == null);
        assertThat(stack.agent().getVolume(AgentNames.of(ready))).isEmpty();
        assertThat(pin).doesNotExist();
        assertThat(entry).exists();
    }

    @Test
    void aSizeBelowTheImageFailsAtTheNodeWithTheAgentsReasonAsAWarning() {
        RootVolume volume = create("api-too-small", SampleObjects.volumeSpec("1Mi"));

        RootVolume failed = awaitStatus(volume, v -> v.getStatus().getPhase() == RootVolumePhase.Failed);

        assertThat(ready(failed).getStatus()).isEqualTo("False");
        assertThat(ready(failed).getReason()).isNotBlank();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(failed))
                .anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));
    }

    @Test
    void anImageSourceNoPolicyAllowsIsRefusedBeforeAnyAgentCall() {
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.setImage(new ImageSource("s3://someone-elses-bucket/image.qcow2", null));
        RootVolume volume = create("api-foreign-image", spec);

        RootVolume refused = awaitStatus(volume, v -> v.getStatus().getPhase() == RootVolumePhase.Failed);

        assertThat(ready(refused).getReason()).isEqualTo(Reason.IMAGE_SOURCE_NOT_ALLOWED);
        assertThat(refused.getStatus().getNodeName()).as("refused before placement").isNull();
    }

    /**
     * A catalogue image's URL and Secret are the platform's: an object that does not exist and a credentials Secret
     * that does not exist show the tenant the image's name only, in the conditions and in the Events.
     */
    @Test
    void aBrokenCatalogueImageShowsTheTenantItsNameNeverItsUrlOrSecret() {
        String key = "catalog/gone-" + UUID.randomUUID().toString().substring(0, 6) + ".qcow2";
        String missing = catalogImage("api-gone-", "s3://" + LocalStack.IMAGE_BUCKET + "/" + key, null);
        String locked = catalogImage("api-locked-", SampleObjects.IMAGE_URL, "images-s3");
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.setImage(ImageSource.catalog(missing));
        RootVolume failed = awaitStatus(create("api-cat-gone", spec),
                v -> v.getStatus().getPhase() == RootVolumePhase.Failed);
        spec.setImage(ImageSource.catalog(locked));
        RootVolume waiting = awaitStatus(create("api-cat-locked", spec),
                v -> Reason.SECRET_NOT_FOUND.equals(ready(v).getReason()));

        assertThat(ready(failed).getMessage()).contains("catalogue image " + missing);
        assertThat(ready(waiting).getMessage())
                .isEqualTo("the catalogue image " + locked + "'s credentials are not available; ask the platform team");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(failed))
                .anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));
        List<String> shown = new ArrayList<>();
        for (RootVolume volume : List.of(failed, waiting)) {
            client.resource(volume).get().getStatus().getConditions().forEach(c -> shown.add(c.getMessage()));
            stack.events(volume).forEach(e -> shown.add(e.getMessage()));
        }
        assertThat(shown).isNotEmpty().allSatisfy(text -> assertThat(text)
                .doesNotContain(LocalStack.IMAGE_BUCKET, key, "images-s3", "s3://"));
    }

    /** A cluster-wide catalogue image for the test namespace; returns its name. */
    private String catalogImage(String prefix, String url, String credentialsSecret) {
        VirtualMachineImageSpec spec = new VirtualMachineImageSpec();
        spec.setUrl(url);
        spec.setCredentialsSecret(credentialsSecret);
        spec.setNamespaceSelector(new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", ReconcilerStack.NAMESPACE)).build());
        VirtualMachineImage image = new VirtualMachineImage();
        image.getMetadata().setName(prefix + UUID.randomUUID().toString().substring(0, 6));
        image.setSpec(spec);
        return client.resource(image).create().getMetadata().getName();
    }

    @Test
    void aVolumePinnedToANodeWithoutAnAgentWaitsPending() {
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.setNodeName("no-such-node");
        RootVolume volume = create("api-pinned", spec);

        RootVolume waiting = awaitStatus(volume, v -> Reason.NO_NODE_AVAILABLE.equals(ready(v).getReason()));

        assertThat(waiting.getStatus().getPhase()).isEqualTo(RootVolumePhase.Pending);
        assertThat(Conditions.find(waiting.getStatus(), ConditionType.Scheduled)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    /**
     * Forward compatibility: a condition type this version does not know, as a newer operator writes before a
     * rollback, neither fails the reconcile nor is dropped; it is kept as it was, after the known ones.
     */
    @Test
    void aConditionTypeFromANewerOperatorIsKeptAndReconciliationGoesOn() {
        RootVolume ready = awaitStatus(create("api-newer", SampleObjects.volumeSpec("64Mi")),
                v -> v.getStatus().getPhase() == RootVolumePhase.Ready);
        Condition fromNewer = new ConditionBuilder().withType("SnapshotReady").withStatus("True")
                .withReason("SnapshotTaken").withMessage("written by a newer operator").withObservedGeneration(1L)
                .withLastTransitionTime("2026-01-01T00:00:00Z").build();
        client.resource(ready).editStatus(v -> {
            v.getStatus().getConditions().add(fromNewer);
            return v;
        });

        // A new generation the older operator must reconcile (a change with no work on the node, so the test does
        // not wait on a population).
        RootVolume edited = client.resources(RootVolume.class).inNamespace(ReconcilerStack.NAMESPACE)
                .withName("api-newer").edit(v -> {
                    v.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
                    return v;
                });
        RootVolume reconciled = awaitStatus(edited, v -> v.getStatus().getPhase() == RootVolumePhase.Ready
                && edited.getMetadata().getGeneration().equals(v.getStatus().getObservedGeneration()));

        assertThat(reconciled.getStatus().getConditions()).extracting(Condition::getType)
                .containsExactly("Scheduled", "ImageCached", "Populated", "Ready", "SnapshotReady");
        assertThat(Conditions.find(reconciled.getStatus(), ConditionType.Ready)).get()
                .satisfies(c -> assertThat(c.getObservedGeneration()).isEqualTo(edited.getMetadata().getGeneration()));
        assertThat(reconciled.getStatus().getConditions().getLast()).as("kept as the newer operator wrote it")
                .isEqualTo(fromNewer);
        assertThat(stack.events(reconciled)).extracting(Event::getReason).doesNotContain(Reason.RECONCILE_ERROR);
    }
}
