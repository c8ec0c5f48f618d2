package io.virtfleet.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three hypervisors in one test: three real host agents (distinct node names, each its own libvirt pool, cache and
 * state) on the real libvirtd with QEMU, the in-process S3 server, the operator, and the mock Kubernetes API with
 * three labelled Node objects. Each test works in its own namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetEndToEndTest {
    private static final Duration TIMEOUT = Fleet.TIMEOUT;

    @TempDir
    static Path work;

    private LocalStack stack;
    private KubernetesClient client;

    @BeforeAll
    void startThreeNodes() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        nodes.put("hv-a", Map.of("rack", "a"));
        nodes.put("hv-b", Map.of("rack", "b"));
        nodes.put("hv-c", Map.of("rack", "b", "disk", "ssd"));
        OperatorSettings settings = OperatorSettings.defaults().withHealth(Duration.ofSeconds(1), Duration.ofSeconds(3));
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-fleet-" + UUID.randomUUID().toString().substring(0, 8), nodes, settings));
        client = stack.kubernetes().client();
    }

    @AfterAll
    void stopStack() throws Exception {
        StackSweep.stopAndSweepEveryNode(stack, List.of());
    }

    private Fleet fleet() {
        return new Fleet(client, "t" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void placementFollowsPinsSelectorsCapacityAndCacheAffinityWithoutDoublePlacement() throws Exception {
        Fleet fleet = fleet();
        fleet.createVolume("pinned", Fleet.volumeOn("hv-a"));
        var ssd = Fleet.volumeSpec("64Mi");
        ssd.setNodeSelector(Map.of("disk", "ssd"));
        fleet.createVolume("ssd", ssd);
        fleet.createVolume("huge", Fleet.volumeSpec("900Ti"));

        RootVolume onA = fleet.awaitVolumeReady("pinned");
        RootVolume onC = fleet.awaitVolumeReady("ssd");
        assertThat(onA.getStatus().getNodeName()).isEqualTo("hv-a");
        assertThat(onC.getStatus().getNodeName()).isEqualTo("hv-c");
        RootVolume huge = await().atMost(TIMEOUT).until(() -> fleet.volume("huge"),
                v -> Fleet.condition(v.getStatus(), "Scheduled").isPresent());
        assertThat(Fleet.condition(huge.getStatus(), "Scheduled").orElseThrow().getReason())
                .isEqualTo("InsufficientCapacity");
        assertThat(huge.getStatus().getNodeName()).as("refused, not placed").isNull();

        // hv-b and hv-c both match rack=b; hv-c holds the image now, so it wins although it has less room left (the
        // reason stays the neutral Placed: it must not tell what a node has cached).
        fleet.createVolume("affine", withSelector(Map.of("rack", "b")));
        RootVolume affine = fleet.awaitVolumeReady("affine");
        assertThat(affine.getStatus().getNodeName()).isEqualTo("hv-c");
        assertThat(Fleet.condition(affine.getStatus(), "Scheduled").orElseThrow().getReason())
                .isEqualTo("Placed");

        List<String> many = List.of("m1", "m2", "m3", "m4", "m5", "m6");
        many.forEach(name -> fleet.createVolume(name, Fleet.volumeSpec("64Mi")));
        for (String name : many) {
            RootVolume volume = fleet.awaitVolumeReady(name);
            String node = volume.getStatus().getNodeName();
            long holders = stack.nodes().stream().filter(n -> Files.exists(
                    n.config().poolPath().resolve(volume.getMetadata().getNamespace() + "." + name))).count();
            assertThat(holders).as("%s exists on exactly one node", name).isEqualTo(1);
            assertThat(fleet.volume(name).getStatus().getNodeName()).as("binding never changes").isEqualTo(node);
        }
        deleteAll(fleet);
    }

    @Test
    void aVirtualMachineLivesCreateHaltAlwaysDeleteAndLeavesNothing() throws Exception {
        Fleet fleet = fleet();
        fleet.createVm("web01", Fleet.volumeSpec("64Mi"), Map.of("rack", "a"));
        VirtualMachine running = fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(running.getStatus().getNodeName()).isEqualTo("hv-a");
        String domain = running.getMetadata().getNamespace() + ".web01";
        assertThat(Fleet.domainActive(domain)).contains(true);
        RootVolume owned = fleet.volume("web01-root");
        assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(running.getMetadata().getUid()));
        assertThat(owned.getStatus().getNodeName()).as("VM and volume on one node").isEqualTo("hv-a");
        assertThat(running.getStatus().getInstanceId()).startsWith("i-");
        for (String type : List.of("Scheduled", "VolumeReady", "DomainDefined", "Running", "Ready")) {
            assertThat(Fleet.isTrue(running.getStatus(), type)).as(type).isTrue();
        }

        fleet.setRunStrategy("web01", RunStrategy.Halted);
        VirtualMachine halted = fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        assertThat(Fleet.domainActive(domain)).contains(false);
        assertThat(Fleet.condition(halted.getStatus(), "Ready").orElseThrow().getReason())
                .as("halted: settled but not Ready").isEqualTo("Halted");
        fleet.setRunStrategy("web01", RunStrategy.Always);
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(Fleet.domainActive(domain)).contains(true);

        Path volumeFile = Path.of(owned.getStatus().getDevicePath());
        client.resource(fleet.vm("web01")).delete();
        await().atMost(TIMEOUT).until(() -> fleet.vm("web01") == null && fleet.volume("web01-root") == null);
        assertThat(Fleet.domainActive(domain)).as("domain undefined").isEmpty();
        assertThat(volumeFile).as("volume deleted from the pool").doesNotExist();
    }

    @Test
    void aStoppedAgentMarksItsObjectsNodeUnreachableAndRecovers() throws Exception {
        Fleet fleet = fleet();
        fleet.createVolume("on-b", Fleet.volumeOn("hv-b"));
        fleet.awaitVolumeReady("on-b");
        LocalNode hvB = stack.node("hv-b");
        Instant stopped = Instant.now();
        hvB.stop();
        try {
            RootVolume marked = await().atMost(Duration.ofSeconds(60)).until(() -> fleet.volume("on-b"),
                    v -> Fleet.isTrue(v.getStatus(), "NodeUnreachable"));
            System.out.printf("e2e figures: agent stopped -> NodeUnreachable %.1f s (threshold 3 s)%n",
                    Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
            assertThat(Fleet.condition(marked.getStatus(), "Ready").orElseThrow()).as("cannot know: Unknown")
                    .satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("Unknown");
                        assertThat(c.getReason()).isEqualTo("NodeUnreachable");
                    });
            for (String type : List.of("ImageCached", "Populated")) {
                assertThat(Fleet.condition(marked.getStatus(), type).orElseThrow().getStatus()).as(type)
                        .isEqualTo("Unknown");
            }
            assertThat(Fleet.condition(marked.getStatus(), "Scheduled").orElseThrow().getStatus())
                    .as("the binding is known").isEqualTo("True");
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.v1().events()
                    .inNamespace(fleet.namespace()).list().getItems())
                    .filteredOn(e -> "on-b".equals(e.getInvolvedObject().getName()))
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("NodeUnreachable");
                        assertThat(e.getType()).isEqualTo("Warning");
                    }));
            assertThat(marked.getStatus().getNodeName()).as("not moved").isEqualTo("hv-b");
        } finally {
            hvB.start();
        }
        RootVolume recovered = await().atMost(TIMEOUT).until(() -> fleet.volume("on-b"),
                v -> Fleet.isTrue(v.getStatus(), "Ready"));
        assertThat(Fleet.condition(recovered.getStatus(), "NodeUnreachable").orElseThrow().getStatus())
                .isEqualTo("False");
        assertThat(Fleet.condition(recovered.getStatus(), "Populated").orElseThrow().getStatus()).isEqualTo("True");
        deleteAll(fleet);
    }

    @Test
    void operatorAndAgentRestartsMidProvisionConverge() throws Exception {
        Fleet fleet = fleet();
        fleet.createVm("web02", Fleet.volumeSpec("64Mi"), Map.of("rack", "a"));
        await().atMost(TIMEOUT).until(() -> fleet.volume("web02-root") != null);
        stack.stopOperator();
        stack.node("hv-a").stop();
        stack.node("hv-a").start();
        stack.startOperator();
        VirtualMachine running = fleet.awaitPhase("web02", VirtualMachinePhase.Running);
        assertThat(running.getStatus().getNodeName()).isEqualTo("hv-a");
        long volumes = stack.nodes().stream().filter(n -> Files.exists(
                n.config().poolPath().resolve(running.getMetadata().getNamespace() + ".web02-root"))).count();
        assertThat(volumes).as("one volume, on one node").isEqualTo(1);
        client.resource(running).delete();
        await().atMost(TIMEOUT).until(() -> fleet.vm("web02") == null && fleet.volume("web02-root") == null);
    }

    private static io.virtfleet.crds.v1alpha1.RootVolumeSpec withSelector(Map<String, String> selector) {
        var spec = Fleet.volumeSpec("64Mi");
        spec.setNodeSelector(selector);
        return spec;
    }

    private void deleteAll(Fleet fleet) {
        var volumes = client.resources(RootVolume.class).inNamespace(fleet.namespace());
        volumes.list().getItems().forEach(v -> client.resource(v).delete());
        await().atMost(TIMEOUT).until(() -> volumes.list().getItems().isEmpty());
    }
}
