package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton, end to end on real parts: a real host agent over loopback HTTP on the real libvirtd with
 * QEMU, an in-process S3 server (S3Proxy), the operator, and Fabric8's mock Kubernetes API in CRUD mode standing in
 * for a cluster.
 */
class QuickstartEndToEndTest {
    private static final Path QUICKSTART = Path.of("../../examples/quickstart.yaml");
    private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private LocalStack stack;
    private KubernetesClient client;

    @BeforeEach
    void startStack() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        String pool = "vf-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu", pool));
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
    void quickstartRunsAndDeletesWithoutTrace() throws Exception {
        long applied = System.nanoTime();
        stack.apply(QUICKSTART);

        RootVolume volume = await().atMost(PROVISION_TIMEOUT).until(() -> rootVolume("quickstart-root"),
                v -> v != null && v.getStatus() != null && v.getStatus().getPhase() == RootVolumePhase.Ready);
        long volumeReady = System.nanoTime();
        assertThat(Conditions.find(volume.getStatus(), ConditionType.Ready)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(volume.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(volume.getStatus().getImageSha256()).isEqualTo(stack.sampleImage().sha256());
        assertThat(volume.getStatus().getImageVerified()).as("digest from the .sha256 sidecar").isTrue();
        assertThat(volume.getStatus().getObservedGeneration()).isEqualTo(volume.getMetadata().getGeneration());
        Path device = Path.of(volume.getStatus().getDevicePath());
        assertThat(stack.sampleImage().compareWith(device))
                .as("qemu-img compare of the image and the populated volume").isZero();

        VirtualMachine vm = await().atMost(PROVISION_TIMEOUT).until(() -> virtualMachine("quickstart"),
                v -> v != null && v.getStatus() != null && v.getStatus().getPhase() == VirtualMachinePhase.Running);
        long vmRunning = System.nanoTime();
        assertThat(vm.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(vm.getStatus().getDomainUUID()).isNotBlank();
        assertThat(Conditions.find(vm.getStatus(), ConditionType.Ready)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        Connect libvirt = new Connect(HostPrerequisites.LIBVIRT_URI);
        try {
            Domain domain = libvirt.domainLookupByName("default.quickstart");
            assertThat(domain.isActive()).as("domain is running").isEqualTo(1);
            assertThat(domain.getUUIDString()).isEqualTo(vm.getStatus().getDomainUUID());
            List<String> vmEvents = client.v1().events().inNamespace(LocalStack.NAMESPACE).list().getItems().stream()
                    .filter(e -> "quickstart".equals(e.getInvolvedObject().getName()))
                    .map(e -> e.getReason() + ": " + e.getMessage()).toList();
            assertThat(String.join("\n", vmEvents)).as("the Event of arriving at Running names its transitions")
                    .contains("DomainDefined=True (DomainDefined)", "Running=True (DomainRunning)")
                    .as("steps on the way are in the status, not in Events").doesNotContain("RootVolumeNotReady");
            System.out.printf("e2e figures: apply->RootVolume Ready %.2f s, apply->VM Running %.2f s%n",
                    (volumeReady - applied) / 1e9, (vmRunning - applied) / 1e9);

            client.resource(vm).delete();
            client.resource(volume).delete();
            await().atMost(PROVISION_TIMEOUT).until(
                    () -> virtualMachine("quickstart") == null && rootVolume("quickstart-root") == null);
            assertThat(new NodeContents(stack.node(LocalStack.NODE_NAME)).domain("default.quickstart"))
                    .as("domain undefined").isEmpty();
            assertThat(device).as("volume removed from the pool").doesNotExist();
        } finally {
            libvirt.close();
        }
    }

    @Test
    void wrongChecksumLeavesVolumeNotReadyAndNothingInTheCache() throws IOException {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName("bad-checksum");
        volume.getMetadata().setNamespace(LocalStack.NAMESPACE);
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource("s3://" + LocalStack.IMAGE_BUCKET + "/" + LocalStack.SAMPLE_IMAGE_KEY,
                "0".repeat(64)));
        spec.setSize(new io.fabric8.kubernetes.api.model.Quantity("128Mi"));
        volume.setSpec(spec);
        client.resource(volume).create();

        Condition ready = await().atMost(PROVISION_TIMEOUT).until(
                () -> Optional.ofNullable(rootVolume("bad-checksum"))
                        .flatMap(v -> Conditions.find(v.getStatus(), ConditionType.Ready))
                        .orElse(null),
                c -> c != null && "ChecksumMismatch".equals(c.getReason()));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("0".repeat(64)).contains(stack.sampleImage().sha256());
        assertThat(rootVolume("bad-checksum").getStatus().getPhase()).isEqualTo(RootVolumePhase.Failed);
        assertThat(filesUnder(work.resolve("cache"))).as("no cache entry and no temp file").isEmpty();
    }

    private RootVolume rootVolume(String name) {
        return client.resources(RootVolume.class).inNamespace(LocalStack.NAMESPACE).withName(name).get();
    }

    private VirtualMachine virtualMachine(String name) {
        return client.resources(VirtualMachine.class).inNamespace(LocalStack.NAMESPACE).withName(name).get();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

}
