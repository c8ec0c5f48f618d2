package io.virtfleet.operator.finalizer;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The release annotation: nothing without it, refused for another node, waiting out the grace, then released. */
@EnableKubernetesMockClient(crud = true)
class FinalizerReleaseTest {
    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(15);
    private static final String LEFT = "libvirt domain default.web01 with its NVRAM";

    KubernetesClient client;

    @Test
    void withoutTheAnnotationNothingIsDecided() {
        assertThat(release(SINCE.plus(Duration.ofDays(1))).decide(vm(null), "hv-01", SINCE, LEFT, LOOK_AGAIN))
                .isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void anAnnotationNamingAnotherNodeIsRefused() {
        Optional<DeleteControl> control = release(SINCE.plus(Duration.ofDays(1)))
                .decide(vm("hv-02"), "hv-01", SINCE, LEFT, LOOK_AGAIN);

        assertThat(control).get().satisfies(c -> assertThat(c.isRemoveFinalizer()).isFalse());
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo(Reason.RELEASE_REFUSED);
            assertThat(e.getMessage()).contains("hv-01", "hv-02");
        });
    }

    @Test
    void beforeTheGracePeriodTheFinalizerStaysAndTheEventSaysWhenItGoes() {
        Optional<DeleteControl> control = release(SINCE.plus(Duration.ofMinutes(9).plusSeconds(55)))
                .decide(vm("hv-01"), "hv-01", SINCE, LEFT, LOOK_AGAIN);

        assertThat(control).get().satisfies(c -> {
            assertThat(c.isRemoveFinalizer()).isFalse();
            assertThat(c.getScheduleDelay()).as("looks again when the grace runs out").contains(5_000L);
        });
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(Reason.RELEASE_PENDING);
            assertThat(e.getMessage()).contains("at 2026-01-01T00:10:00Z");
        });
    }

    @Test
    void afterTheGracePeriodTheFinalizerGoesAndTheEventNamesWhatStays() {
        Optional<DeleteControl> control = release(SINCE.plus(GRACE))
                .decide(vm("hv-01"), "hv-01", SINCE, LEFT, LOOK_AGAIN);

        assertThat(control).get().satisfies(c -> assertThat(c.isRemoveFinalizer()).isTrue());
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(Reason.FINALIZER_RELEASED);
            assertThat(e.getMessage()).contains("hv-01", LEFT);
        });
    }

    private FinalizerRelease release(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new FinalizerRelease(new EventRecorder(client, clock), GRACE, clock);
    }

    private static VirtualMachine vm(String releaseNode) {
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName("web01");
        vm.getMetadata().setNamespace("default");
        vm.getMetadata().setUid("uid-web01");
        if (releaseNode != null) {
            vm.getMetadata().setAnnotations(Map.of(FinalizerRelease.ANNOTATION, releaseNode));
        }
        return vm;
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("default").list().getItems();
    }
}
