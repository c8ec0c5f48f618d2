package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Events as series: a repetition counts up one object; anything different is another object. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
    KubernetesClient client;

    @Test
    void aRepeatedEventIsOneObjectWhoseCountAndLastTimestampGrow() {
        VirtualMachine vm = vm("web01", "uid-1");
        new EventRecorder(client, at("2026-01-01T00:00:00Z")).normal(vm, "Halted", "the VM is stopped");
        EventRecorder later = new EventRecorder(client, at("2026-01-01T00:05:00Z"));

        later.normal(vm, "Halted", "the VM is stopped");
        later.normal(vm, "Halted", "the VM is stopped");

        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getCount()).as("the second recorder continued the series it found").isEqualTo(3);
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:05:00Z");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web01");
        });
    }

    @Test
    void anotherReasonMessageTypeOrObjectStartsAnotherSeries() {
        EventRecorder events = new EventRecorder(client, at("2026-01-01T00:00:00Z"));
        VirtualMachine vm = vm("web02", "uid-2");

        events.normal(vm, "Halted", "the VM is stopped");
        events.normal(vm, "DomainRunning", "the VM is running");
        events.normal(vm, "DomainRunning", "the VM is running [Running=True (DomainRunning)]");
        events.warning(vm, "DomainRunning", "the VM is running");
        events.normal(vm("web02", "uid-of-a-recreated-vm"), "Halted", "the VM is stopped");

        assertThat(events()).hasSize(5).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void anExpiredEventStartsANewSeries() {
        EventRecorder events = new EventRecorder(client, at("2026-01-01T00:00:00Z"));
        VirtualMachine vm = vm("web03", "uid-3");
        events.normal(vm, "Halted", "the VM is stopped");
        client.v1().events().inNamespace("default").delete(); // the API server's event TTL

        events.normal(vm, "Halted", "the VM is stopped");

        assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("default").list().getItems();
    }

    private static VirtualMachine vm(String name, String uid) {
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName(name);
        vm.getMetadata().setNamespace("default");
        vm.getMetadata().setUid(uid);
        return vm;
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
