package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.status.ObservedCrudDispatcher.StatusWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link StatusUpdates} with a real JOSDK operator on the Fabric8 mock API (CRUD mode): a status write goes into the
 * informer's cache, so the reconcile that follows it before the watch reports it starts from that write and writes
 * nothing; without the cache it writes the same status again. A write that meets a newer spec lands over it without
 * undoing it.
 */
class CachedStatusWriteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String NAMESPACE = "team-a";

    private final ObservedCrudDispatcher api = new ObservedCrudDispatcher();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Operator operator;

    @BeforeEach
    void startTheMockApi() throws IOException {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(),
                new HashMap<>(), api, false);
        server.init();
        client = server.createClient();
        try (InputStream crd = getClass().getResourceAsStream("/META-INF/fabric8/rootvolumes.virtfleet.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    @AfterEach
    void stop() {
        api.releaseWatchEvents();
        if (operator != null) {
            operator.stop();
        }
        client.close();
        server.destroy();
    }

    @Test
    void theReconcileAfterAStatusWriteStartsFromItBeforeTheWatchReportsItAndWritesNothing() {
        ConcludingReady reconciler = looksWithTheWatchHeldAfterTheFirst(true, "web01-root", 4);

        assertThat(api.statusWrites()).as("one write; the looks after it found nothing to change")
                .extracting(StatusWrite::code).containsExactly(200);
        assertThat(reconciler.looks.get(1).getStatus()).as("the second look, before any watch event, saw the write")
                .isNotNull().extracting(RootVolumeStatus::getPhase).isEqualTo(RootVolumePhase.Ready);
    }

    @Test
    void withoutTheCacheTheSameReconcileStartsFromTheOldCopyAndWritesAgain() {
        ConcludingReady reconciler = looksWithTheWatchHeldAfterTheFirst(false, "web02-root", 3);

        assertThat(reconciler.looks.get(1).getStatus()).as("the informer's copy lacks the first write").isNull();
        assertThat(api.statusWrites()).as("each look writes the status again").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aWriteThatMeetsANewerSpecLandsOverItAndTheNewSpecsReconcileFollows() throws InterruptedException {
        ConcludingReady reconciler = start(true);
        reconciler.firstLookWaits = new CountDownLatch(1);
        RootVolume created = create("web03-root");
        await().atMost(TIMEOUT).until(() -> reconciler.looks.size() == 1);

        client.resource(created).edit(v -> {
            v.getSpec().setSize(new Quantity("2Gi"));
            return v;
        });
        reconciler.firstLookWaits.countDown();

        RootVolume settled = await().atMost(TIMEOUT).until(() -> client.resource(created).get(),
                v -> v.getStatus() != null && v.getStatus().getObservedGeneration() == 2L);
        assertThat(settled.getSpec().getSize()).as("the status write kept the newer spec")
                .isEqualTo(new Quantity("2Gi"));
        assertThat(api.statusWrites()).extracting(StatusWrite::code).as("locked on the copy it read: refused once, "
                + "then written over the newer object, then the new spec's own write").startsWith(409, 200, 200);
        assertThat(reconciler.written.get(0).getStatus().getObservedGeneration())
                .as("the first write still says which spec it describes").isEqualTo(1L);
        assertThat(reconciler.written.get(0).getSpec().getSize()).isEqualTo(new Quantity("2Gi"));
    }

    /** Creates a volume and waits for {@code looks} reconciles of it; watchers see nothing after the first began. */
    private ConcludingReady looksWithTheWatchHeldAfterTheFirst(boolean cached, String name, int looks) {
        ConcludingReady reconciler = start(cached);
        reconciler.holdWatchAfterFirstLook = true;
        create(name);
        await().atMost(TIMEOUT).until(() -> reconciler.looks.size() >= looks);
        return reconciler;
    }

    private ConcludingReady start(boolean cached) {
        ConcludingReady reconciler = new ConcludingReady(api, client, cached);
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false));
        operator.register(reconciler);
        operator.start();
        return reconciler;
    }

    private RootVolume create(String name) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(name);
        volume.getMetadata().setNamespace(NAMESPACE);
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("https://images.example/x.qcow2", null));
        spec.setSize(new Quantity("1Gi"));
        volume.setSpec(spec);
        return client.resource(volume).create();
    }

    /**
     * Concludes every look at a volume Ready through {@link StatusUpdates} and looks again 100 ms later; remembers the
     * copy each look began from and what each write returned.
     */
    @ControllerConfiguration(name = "cached-status-write-test")
    static final class ConcludingReady implements Reconciler<RootVolume> {
        final List<RootVolume> looks = new CopyOnWriteArrayList<>();
        final List<RootVolume> written = new CopyOnWriteArrayList<>();
        volatile boolean holdWatchAfterFirstLook;
        volatile CountDownLatch firstLookWaits = new CountDownLatch(0);
        private final ObservedCrudDispatcher api;
        private final boolean cached;
        private final StatusUpdates<RootVolume, RootVolumeStatus, RootVolumePhase> updates;

        ConcludingReady(ObservedCrudDispatcher api, KubernetesClient client, boolean cached) {
            this.api = api;
            this.cached = cached;
            this.updates = new StatusUpdates<>(new OutcomeWriter<>(new Conditions(Clock.systemUTC()),
                    RootVolumeStatus::getPhase, RootVolumeStatus::setPhase, RootVolumePhase.Pending),
                    new EventRecorder(client, Clock.systemUTC()),
                    RootVolumeStatus::getPhase, RootVolumePhase.Failed, new PhaseGauges<>(new SimpleMeterRegistry(),
                    "test.rootvolumes", "test", RootVolumePhase.class), (volume, phase) -> false);
        }

        @Override
        public UpdateControl<RootVolume> reconcile(RootVolume volume, Context<RootVolume> context)
                throws InterruptedException {
            looks.add(Serialization.clone(volume));
            if (looks.size() == 1) {
                assertThat(firstLookWaits.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                if (holdWatchAfterFirstLook) {
                    api.holdWatchEvents();
                }
            }
            RootVolumeStatus status = volume.getStatus() == null ? new RootVolumeStatus() : volume.getStatus();
            volume.setStatus(status);
            StatusChange change = StatusChange.from(status, status.getPhase());
            Outcome<RootVolumePhase> ready = Outcome.ready(RootVolumePhase.Ready, "Populated", "the volume is ready",
                    Duration.ofMillis(100));
            int before = api.statusWrites().size();
            UpdateControl<RootVolume> next = cached
                    ? updates.conclude(volume, status, change, volume.getMetadata().getGeneration(), ready, context)
                    : updates.conclude(volume, status, change, volume.getMetadata().getGeneration(), ready,
                    context.getClient());
            if (api.statusWrites().size() > before) {
                written.add(context.getPrimaryCache().get(ResourceID.fromResource(volume)).orElseThrow());
            }
            return next;
        }
    }
}
