package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.crds.v1alpha1.ImageFormat;
import io.virtfleet.crds.v1alpha1.ImagePrefetch;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineImage;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageStatus.NodeImage;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.image.CatalogImages;
import java.nio.file.Files;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image catalogue through the operator (mock API) on two real agents (HTTP API over mutual TLS), the in-process S3
 * server and the real libvirtd: a VirtualMachineImage with a prefetch warms the node its selector picks before any VM
 * (the agent's cache listing has it, pinned, the other node has nothing, and the image's status names the node and the
 * size); two RootVolumes naming it are placed on that node and get Ready with no second download (GETs counted at the
 * S3 server); a namespace the image does not select gets ImageNotAllowed and
 * nothing on the node; a name that does not exist yet waits as ImageNotFound and goes on when the image appears; a VM
 * whose template names it runs; a selector that no longer picks the node drops the pin there; deleting the image drops
 * the node's pins, and the volumes built from it stay Ready while a new one waits for the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCatalogEndToEndTest {
    private static final String IMAGE_KEY = "catalog/base.qcow2";
    private static final Map<String, String> WARM = Map.of("virtfleet.io/image-cache", "warm");

    @TempDir
    static Path work;

    private static final String WARM_NODE = "hv-warm";
    private static final String COLD_NODE = "hv-cold";

    private final List<String> namespaces = new ArrayList<>();
    private LocalStack stack;
    private KubernetesClient client;
    private TestImage base;
    private AgentClient agent;
    private AgentClient coldAgent;

    @BeforeAll
    void startOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        nodes.put(WARM_NODE, WARM);
        nodes.put(COLD_NODE, Map.of());
        stack = LocalStack.start(new LocalStack.Options(work.resolve("stack"), HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-cat-" + UUID.randomUUID().toString().substring(0, 8), nodes, OperatorSettings.defaults()));
        client = stack.kubernetes().client();
        base = TestImages.create(work.resolve("images"), "catalog");
        stack.putImage(IMAGE_KEY, base);
        agent = agentOf(WARM_NODE);
        coldAgent = agentOf(COLD_NODE);
    }

    @AfterAll
    void stopAndSweep() throws Exception {
        StackSweep.stopAndSweepEveryNode(stack, namespaces);
    }

    private AgentClient agentOf(String node) {
        return new AgentClients(stack.metrics(), stack.agentTransport())
                .client(new AgentEndpoint(node, stack.node(node).baseUri(), null));
    }

    private Fleet fleet(String prefix) {
        Fleet fleet = new Fleet(client, prefix + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        return fleet;
    }

    @Test
    void prefetchWarmsTheNodeThenTwoVolumesShareOneDownloadAndOtherNamespacesGetNothing() throws Exception {
        Fleet team = fleet("cat");
        Fleet other = fleet("other");
        String name = "base-" + UUID.randomUUID().toString().substring(0, 6);
        client.resource(image(name, team.namespace())).create();

        VirtualMachineImage warm = await().atMost(Fleet.TIMEOUT).until(() -> image(name),
                i -> i.getStatus() != null && Fleet.isTrue(i.getStatus(), "Ready"));
        assertThat(client.resources(VirtualMachine.class).inAnyNamespace().list().getItems()).as("before any VM").isEmpty();
        assertThat(warm.getStatus().getCachedNodes()).isEqualTo(1);
        assertThat(warm.getStatus().getSha256()).isEqualTo(base.sha256());
        NodeImage cached = warm.getStatus().getNodes().getFirst();
        assertThat(cached.getNodeName()).as("the selected node only").isEqualTo(WARM_NODE);
        assertThat(cached.getState()).isEqualTo("Cached");
        assertThat(cached.getSizeBytes()).isEqualTo(Files.size(base.path()));
        assertThat(cached.getPinned()).isTrue();
        CacheListing listing = agent.cacheListing();
        assertThat(listing.entries()).anySatisfy(e -> {
            assertThat(e.sha256()).isEqualTo(base.sha256());
            assertThat(e.sizeBytes()).isEqualTo(Files.size(base.path()));
        });
        assertThat(listing.catalogPins()).containsEntry(name, base.sha256());
        assertThat(coldAgent.cacheListing().entries()).as("the unselected node got nothing").isEmpty();
        int getsAfterPrefetch = stack.s3().getRequestCount(LocalStack.IMAGE_BUCKET, IMAGE_KEY);
        assertThat(getsAfterPrefetch).as("the prefetch downloaded it").isPositive();

        team.createVolume("web01-root", byCatalog(name));
        team.createVolume("web02-root", byCatalog(name));
        team.awaitVolumeReady("web01-root");
        team.awaitVolumeReady("web02-root");
        assertThat(stack.s3().getRequestCount(LocalStack.IMAGE_BUCKET, IMAGE_KEY)).as("no second download")
                .isEqualTo(getsAfterPrefetch);
        assertThat(team.volume("web01-root").getStatus().getImageSha256()).isEqualTo(base.sha256());
        assertThat(List.of(team.volume("web01-root"), team.volume("web02-root")))
                .as("placed where the image is cached").allSatisfy(v -> assertThat(v.getStatus().getNodeName())
                        .isEqualTo(WARM_NODE));

        other.createVolume("sneaky-root", byCatalog(name));
        Condition refused = awaitReason(other, "sneaky-root", CatalogImages.IMAGE_NOT_ALLOWED);
        assertThat(refused.getMessage()).contains(other.namespace()).doesNotContain(IMAGE_KEY);
        assertThat(other.volume("sneaky-root").getStatus().getPhase()).isEqualTo(RootVolumePhase.Failed);
        assertThat(other.volume("sneaky-root").getStatus().getNodeName()).as("never placed").isNull();
        other.createVm("intruder", byCatalog(name), null);
        VirtualMachine refusedVm = await().atMost(Fleet.TIMEOUT).until(() -> other.vm("intruder"),
                v -> v != null && Fleet.condition(v.getStatus(), "Ready")
                        .map(c -> CatalogImages.IMAGE_NOT_ALLOWED.equals(c.getReason())).orElse(false));
        assertThat(refusedVm.getStatus().getNodeName()).as("refused before placement").isNull();
        assertThat(other.volume("intruder-root")).as("no root volume created").isNull();
        for (String onNode : List.of(WARM_NODE, COLD_NODE)) {
            assertThat(new NodeContents(stack.node(onNode)).leftovers(other.namespace() + "."))
                    .as("nothing on %s", onNode).isEmpty();
        }

        String later = name + "-later";
        RootVolumeSpec waiting = byCatalog(later);
        waiting.setNodeSelector(WARM); // nothing knows the digest of an image that does not exist yet
        team.createVolume("web03-root", waiting);
        awaitReason(team, "web03-root", CatalogImages.IMAGE_NOT_FOUND);
        assertThat(team.volume("web03-root").getStatus().getPhase()).isEqualTo(RootVolumePhase.Pending);
        client.resource(image(later, team.namespace())).create();
        team.awaitVolumeReady("web03-root");

        team.createVm("web04", byCatalog(name), WARM); // template placement has no digest to prefer a node by
        team.awaitPhase("web04", VirtualMachinePhase.Running);
        assertThat(team.volume("web04-root").getStatus().getImageSha256()).as("a VM's template names it too")
                .isEqualTo(base.sha256());
        assertThat(stack.s3().getRequestCount(LocalStack.IMAGE_BUCKET, IMAGE_KEY)).isEqualTo(getsAfterPrefetch);

        client.resources(VirtualMachineImage.class).withName(name).edit(i -> {
            i.getSpec().getPrefetch().setNodeSelector(Map.of("virtfleet.io/image-cache", "cold"));
            return i;
        });
        VirtualMachineImage unselected = await().atMost(Fleet.TIMEOUT).until(() -> image(name),
                i -> Fleet.condition(i.getStatus(), "Ready").map(c -> "NoNodeSelected".equals(c.getReason())).orElse(false));
        assertThat(unselected.getStatus().getNodes()).singleElement().satisfies(n -> {
            assertThat(n.getNodeName()).isEqualTo(WARM_NODE);
            assertThat(n.getState()).as("still cached, no longer kept").isEqualTo("Cached");
            assertThat(n.getPinned()).isFalse();
        });
        assertThat(agent.cacheListing().catalogPins()).doesNotContainKey(name);

        client.resource(image(name)).delete();
        client.resource(image(later)).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> agent.cacheListing().catalogPins().isEmpty());
        // Volumes built from a deleted image keep what they have: Ready holds (the deletion woke their reconciles).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> team.volume("web01-root").getStatus().getPhase() == RootVolumePhase.Ready
                        && Fleet.isTrue(team.volume("web01-root").getStatus(), "Ready"));
        team.createVolume("web05-root", byCatalog(name));
        awaitReason(team, "web05-root", CatalogImages.IMAGE_NOT_FOUND);
    }

    private Condition awaitReason(Fleet fleet, String volume, String reason) {
        return await().atMost(Fleet.TIMEOUT).until(() -> {
            RootVolume v = fleet.volume(volume);
            return v == null ? null : Fleet.condition(v.getStatus(), "Ready").orElse(null);
        }, c -> c != null && reason.equals(c.getReason()));
    }

    private VirtualMachineImage image(String name) {
        return client.resources(VirtualMachineImage.class).withName(name).get();
    }

    /** The catalogue image for one namespace (by its name label), prefetched to nodes labelled warm. */
    private static VirtualMachineImage image(String name, String namespace) {
        VirtualMachineImageSpec spec = new VirtualMachineImageSpec();
        spec.setUrl("s3://" + LocalStack.IMAGE_BUCKET + "/" + IMAGE_KEY);
        spec.setFormat(ImageFormat.QCOW2);
        spec.setNamespaceSelector(new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace)).build());
        ImagePrefetch prefetch = new ImagePrefetch();
        prefetch.setNodeSelector(WARM);
        spec.setPrefetch(prefetch);
        VirtualMachineImage image = new VirtualMachineImage();
        image.getMetadata().setName(name);
        image.setSpec(spec);
        return image;
    }

    private static RootVolumeSpec byCatalog(String name) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(ImageSource.catalog(name));
        spec.setSize(new Quantity("64Mi"));
        return spec;
    }
}
