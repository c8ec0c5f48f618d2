package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.finalizer.FinalizerRelease;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletions that cannot finish, on real parts: two host agents on the real libvirtd with QEMU guests, the operator,
 * the in-process S3 server and the mock Kubernetes API. Injected faults: the agent of one node stopped for good while
 * its VM is deleted, and a RootVolume deleted while a running VM still uses it. Each deletion must say why it waits
 * (condition and one counted Warning Event), the admin's release must wait out the grace period and then name what it
 * leaves on the host, and nothing may disappear from the host without a trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnreachableDeletionFaultTest {
    private static final Duration TIMEOUT = Fleet.TIMEOUT;
    /** Long enough to watch the blocked deletion count up before the release may apply. */
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(15);
    private static final String GONE = "hv-gone";
    private static final String LIVE = "hv-live";
    private static final Pattern RELEASE_AT = Pattern.compile("the finalizer goes at (\\S+),");

    @TempDir
    static Path work;

    private LocalStack stack;
    private KubernetesClient client;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    void startStack() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        nodes.put(GONE, Map.of("fault", "gone"));
        nodes.put(LIVE, Map.of("fault", "live"));
        OperatorSettings settings = OperatorSettings.defaults().withHealth(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withReleaseGrace(RELEASE_GRACE);
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-fault-" + UUID.randomUUID().toString().substring(0, 8), nodes, settings));
        client = stack.kubernetes().client();
    }

    @AfterAll
    void stopStack() throws Exception {
        StackSweep.stopAndSweepEveryNode(stack, namespaces);
    }

    private Fleet fleet() {
        Fleet fleet = new Fleet(client, "f" + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        return fleet;
    }

    @Test
    void anAgentThatNeverReturnsBlocksDeletionVisiblyUntilAnAdminReleasesItAfterTheGracePeriod() throws Exception {
        Fleet fleet = fleet();
        fleet.createVm("web", Fleet.volumeSpec("64Mi"), Map.of("fault", "gone"));
        VirtualMachine running = fleet.awaitPhase("web", VirtualMachinePhase.Running);
        RootVolume root = fleet.volume("web-root");
        String domain = fleet.namespace() + ".web";
        String volume = fleet.namespace() + ".web-root";
        LocalNode gone = stack.node(GONE);
        NodeContents host = new NodeContents(gone);

        gone.stop(); // injected: the node's agent never answers again during the test
        await().atMost(TIMEOUT).until(() -> Fleet.isTrue(fleet.vm("web").getStatus(), "NodeUnreachable"));
        client.resource(running).delete();

        VirtualMachine blocked = await().atMost(TIMEOUT).until(() -> fleet.vm("web"),
                vm -> Fleet.isTrue(vm.getStatus(), "DeletionBlocked"));
        assertThat(Fleet.condition(blocked.getStatus(), "DeletionBlocked").orElseThrow()).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(Reason.NODE_UNREACHABLE);
            assertThat(c.getMessage()).contains("the domain", GONE, FinalizerRelease.ANNOTATION + "=" + GONE);
        });
        assertThat(blocked.getMetadata().getFinalizers()).as("the finalizer stays").isNotEmpty();
        Event counted = await().atMost(TIMEOUT).until(() -> blockedEvents(fleet, blocked),
                events -> events.size() == 1 && events.getFirst().getCount() >= 3).getFirst();
        assertThat(counted.getType()).isEqualTo("Warning");
        assertThat(counted.getReason()).isEqualTo(Reason.NODE_UNREACHABLE);
        assertThat(blockedEvents(fleet, blocked)).as("retries count up one Event, never add one").hasSize(1);

        annotate(blocked, "hv-elsewhere");
        await().atMost(TIMEOUT).until(() -> reasons(fleet, "web").contains(Reason.RELEASE_REFUSED));
        annotate(fleet.vm("web"), GONE);
        Event pending = await().atMost(TIMEOUT).until(() -> event(fleet, "web", Reason.RELEASE_PENDING), e -> e != null);
        Matcher at = RELEASE_AT.matcher(pending.getMessage());
        assertThat(at.find()).as(pending.getMessage()).isTrue();
        Instant releasable = Instant.parse(at.group(1));

        await().atMost(TIMEOUT.plus(RELEASE_GRACE)).until(() -> fleet.vm("web") == null);
        Instant goneAt = Instant.now();
        assertThat(goneAt).as("not released before the grace period ran out").isAfterOrEqualTo(releasable);
        Event released = event(fleet, "web", Reason.FINALIZER_RELEASED);
        assertThat(released.getType()).isEqualTo("Warning");
        assertThat(released.getMessage()).contains(GONE, "libvirt domain " + domain);
        await().atMost(TIMEOUT).until(() -> fleet.volume("web-root") == null);
        assertThat(event(fleet, "web-root", Reason.FINALIZER_RELEASED).getMessage())
                .as("the owned root volume is released with its VM and says what stays")
                .contains(GONE, "storage volume " + volume);

        // Nothing vanished: what the Events name is still on the host, the guest still running.
        assertThat(host.domain(domain)).hasValueSatisfying(d -> assertThat(d.active()).isTrue());
        assertThat(host.volumeFile(volume)).exists().hasSize(64L << 20);
        List<Event> series = blockedEvents(fleet, blocked);
        assertThat(series).as("still one Event after every retry until the release").hasSize(1);
        System.out.printf("fault figures: release grace %s; the blocked deletion's Warning counted %d times in %d Event;"
                + " left on %s: %s%n", RELEASE_GRACE, series.getFirst().getCount(), series.size(), GONE,
                host.leftovers(fleet.namespace() + "."));

        // The admin's hand cleanup once the node is back (docs/troubleshooting.md): the agent, by owner UID.
        gone.start();
        AgentClient agent = new AgentClients(stack.metrics(), stack.agentTransport())
                .client(new AgentEndpoint(GONE, gone.baseUri(), null));
        await().atMost(TIMEOUT).until(() -> agent.deleteDomain(domain, running.getMetadata().getUid()).isEmpty());
        agent.deleteVolume(volume, root.getMetadata().getUid());
        assertThat(host.leftovers(fleet.namespace() + ".")).isEmpty();
    }

    @Test
    void aVolumeInUseSaysWhyItsDeletionWaitsAndFinishesOnceItsUserIsGone() throws Exception {
        Fleet fleet = fleet();
        RootVolume shared = fleet.createVolume("shared-root", Fleet.volumeOn(LIVE));
        fleet.awaitVolumeReady("shared-root");
        VirtualMachine user = SampleObjects.vm(fleet.namespace(), "user", null, Map.of("fault", "live"));
        RootVolumeReference named = new RootVolumeReference();
        named.setName("shared-root");
        user.getSpec().setRootVolume(named);
        client.resource(user).create();
        fleet.awaitPhase("user", VirtualMachinePhase.Running);

        client.resource(shared).delete();

        RootVolume blocked = await().atMost(TIMEOUT).until(() -> fleet.volume("shared-root"),
                v -> Fleet.isTrue(v.getStatus(), "DeletionBlocked"));
        assertThat(Fleet.condition(blocked.getStatus(), "DeletionBlocked").orElseThrow()).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("VolumeInUse");
            assertThat(c.getMessage()).contains(fleet.namespace() + ".user");
        });
        Event counted = await().atMost(TIMEOUT).until(() -> blockedEvents(fleet, blocked),
                events -> events.size() == 1 && events.getFirst().getCount() >= 2).getFirst();
        assertThat(counted.getReason()).isEqualTo("VolumeInUse");
        annotate(blocked, LIVE);
        await().atMost(TIMEOUT).until(() -> reasons(fleet, "shared-root").contains(Reason.RELEASE_REFUSED));
        assertThat(fleet.volume("shared-root")).as("a node that answers is never released").isNotNull();

        client.resource(fleet.vm("user")).delete();
        await().atMost(TIMEOUT).until(() -> fleet.vm("user") == null && fleet.volume("shared-root") == null);
        assertThat(new NodeContents(stack.node(LIVE)).leftovers(fleet.namespace() + ".")).isEmpty();
    }

    /** The Warning Events that explain the blocked deletion (their message starts "cannot remove"). */
    private List<Event> blockedEvents(Fleet fleet, HasMetadata object) {
        return events(fleet, object.getMetadata().getName()).stream()
                .filter(e -> e.getMessage().startsWith("cannot remove")).toList();
    }

    private List<String> reasons(Fleet fleet, String name) {
        return events(fleet, name).stream().map(Event::getReason).toList();
    }

    private Event event(Fleet fleet, String name, String reason) {
        return events(fleet, name).stream().filter(e -> reason.equals(e.getReason())).findFirst().orElse(null);
    }

    private List<Event> events(Fleet fleet, String name) {
        return client.v1().events().inNamespace(fleet.namespace()).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    /** As {@code kubectl annotate} does it: a merge patch of the annotation alone, on whatever version is current. */
    private void annotate(HasMetadata object, String node) {
        client.resources(object.getClass()).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + FinalizerRelease.ANNOTATION + "\":\"" + node + "\"}}}");
    }
}
