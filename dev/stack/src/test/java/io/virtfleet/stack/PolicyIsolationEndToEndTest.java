package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Timer;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantQuota;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.operator.OperatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant isolation through the operator on the real stack (real agent, libvirtd, QEMU, S3; the mock Kubernetes API):
 * each hostile spec is refused with its reason in the Ready condition and a Warning Event, before any agent call,
 * and leaves nothing new on the host — no domain, volume, seed or cache entry. The stack's only platform policy
 * allows the sample bucket with the platform's credentials ({@link PlatformPolicies}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyIsolationEndToEndTest {
    private static final String NODE = "hv-1";
    private static final String PRIVATE_BUCKET = "virtfleet-private";

    @TempDir
    static Path work;

    private TestBridge bridge;
    private LocalStack stack;
    private KubernetesClient client;
    private NodeContents host;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    void startOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        bridge = TestBridge.create();
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-policy-" + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, Map.of()),
                OperatorSettings.defaults()));
        client = stack.kubernetes().client();
        host = new NodeContents(stack.node(NODE));
        // The same image in a bucket the platform's credentials can read but tenants were never given.
        stack.s3().createBucket(PRIVATE_BUCKET);
        stack.s3().putObject(PRIVATE_BUCKET, "quickstart.qcow2", stack.sampleImage().path());
    }

    @AfterAll
    void stopAndSweep() throws Exception {
        StackSweep.stopAndSweep(stack, host, namespaces, NODE, bridge);
    }

    private Fleet fleet() {
        Fleet fleet = new Fleet(client, "iso" + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        return fleet;
    }

    @Test
    void kernelBootOfAHostFileWithoutAPolicyIsRefused() throws Exception {
        Fleet fleet = fleet();
        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "shadow", SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setKernelBoot(new KernelBoot("/etc/shadow", null, "console=ttyS0"));
        expectRefusedVm(fleet, vm, "HostPathNotAllowed", "spec.kernelBoot.kernel '/etc/shadow'");
    }

    @Test
    void kernelBootClimbingOutOfAnAllowedDirectoryIsRefused() throws Exception {
        Fleet fleet = fleet();
        fleet.allow(policy -> policy.setKernelBootDirectories(List.of("/srv/virtfleet-kernels")));
        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "climb", SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setKernelBoot(new KernelBoot("/srv/virtfleet-kernels/../../etc/shadow", null, null));
        expectRefusedVm(fleet, vm, "HostPathNotAllowed", "'..'");
    }

    @Test
    void aBridgeThePolicyDoesNotListIsRefused() throws Exception {
        Fleet fleet = fleet();
        fleet.allow(policy -> policy.setBridges(List.of("br-tenant")));
        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "bridged", SampleObjects.volumeSpec("64Mi"), null);
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge(bridge.name());
        nic.setIp("192.0.2.10/24");
        vm.getSpec().setNetworkInterfaces(List.of(nic));
        expectRefusedVm(fleet, vm, "BridgeNotAllowed", "spec.networkInterfaces[0].bridge '" + bridge.name() + "'");
    }

    @Test
    void aStoragePoolThePolicyDoesNotListIsRefused() throws Exception {
        Fleet fleet = fleet();
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.setStorage("vg-platform");
        expectRefusedVolume(fleet, "pooled", spec, "StoragePoolNotAllowed", "spec.storage 'vg-platform'");
    }

    @Test
    void platformCredentialsOutsideTheAllowedPrefixesAreRefused() throws Exception {
        Fleet fleet = fleet();
        RootVolumeSpec spec = SampleObjects.volumeSpec("64Mi");
        spec.getImage().setUrl("s3://" + PRIVATE_BUCKET + "/quickstart.qcow2");
        expectRefusedVolume(fleet, "private", spec, "ImageSourceNotAllowed", "platform's S3 credentials");
    }

    @Test
    void aSecretWithoutTheOptInLabelNeverReachesASeed() throws Exception {
        Fleet fleet = fleet();
        fleet.createSecret("service-token", Map.of("token", "$6$not-for-guests$x"), Map.of());
        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "exfil", SampleObjects.volumeSpec("64Mi"), null);
        CloudInit cloudInit = new CloudInit();
        cloudInit.setRootPasswordHash(new SecretKeySelector("token", "service-token", false));
        vm.getSpec().setCloudInit(cloudInit);
        expectRefusedVm(fleet, vm, "SecretNotOptedIn", "virtfleet.io/cloud-init");
    }

    @Test
    void aVmOverTheQuotaIsNotPlacedUntilThePolicyAllowsIt() throws Exception {
        Fleet fleet = fleet();
        TenantPolicy policy = fleet.allow(p -> p.setQuota(new TenantQuota(1, new Quantity("1Gi"), null)));
        fleet.createVm("first", SampleObjects.volumeSpec("64Mi"), null);
        VirtualMachine first = fleet.awaitPhase("first", VirtualMachinePhase.Running);

        VirtualMachine second = SampleObjects.vm(fleet.namespace(), "second", SampleObjects.volumeSpec("64Mi"), null);
        expectRefusedVm(fleet, second, "QuotaExceeded", "quota.vcpus is 1, the total would be 2");
        assertThat(fleet.vm("first").getStatus().getPhase()).as("the placed VM keeps running")
                .isEqualTo(VirtualMachinePhase.Running);
        assertThat(fleet.vm("first").getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());

        // Raising the quota wakes the refused VM at once (a TenantPolicy change re-reconciles), not at the next retry.
        policy.getSpec().setQuota(new TenantQuota(2, new Quantity("1Gi"), null));
        client.resource(policy).update();
        await().atMost(Duration.ofSeconds(25)).until(() -> fleet.vm("second"),
                vm -> vm.getStatus() != null && vm.getStatus().getNodeName() != null);
        fleet.awaitPhase("second", VirtualMachinePhase.Running);
    }

    @Test
    void aForeignRootVolumeNamedLikeTheTemplateIsNeitherUsedNorDeleted() throws Exception {
        Fleet fleet = fleet();
        fleet.createVolume("web01-root", SampleObjects.volumeSpec("64Mi"));
        RootVolume foreign = fleet.awaitVolumeReady("web01-root");
        Path data = Path.of(foreign.getStatus().getDevicePath());
        byte[] marker = ("tenant data " + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile disk = new RandomAccessFile(data.toFile(), "rw")) {
            disk.write(marker);
        }

        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "web01", SampleObjects.volumeSpec("64Mi"), null);
        expectRefusedVm(fleet, vm, "RootVolumeNameTaken", "RootVolume web01-root already exists");
        client.resource(fleet.vm("web01")).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01") == null);

        RootVolume survivor = fleet.volume("web01-root");
        assertThat(survivor).as("the foreign RootVolume survives the VM's deletion").isNotNull();
        assertThat(survivor.getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid());
        assertThat(survivor.getMetadata().getDeletionTimestamp()).isNull();
        byte[] head = new byte[marker.length];
        try (RandomAccessFile disk = new RandomAccessFile(data.toFile(), "r")) {
            disk.readFully(head);
        }
        assertThat(new String(head, StandardCharsets.US_ASCII)).as("with its data")
                .isEqualTo(new String(marker, StandardCharsets.US_ASCII));
    }

    private void expectRefusedVm(Fleet fleet, VirtualMachine vm, String reason, String messagePart) throws Exception {
        expectRefused(fleet, vm.getMetadata().getName(), reason, messagePart, () -> client.resource(vm).create(),
                n -> java.util.Optional.ofNullable(fleet.vm(n)).map(VirtualMachine::getStatus).orElse(null));
    }

    private void expectRefusedVolume(Fleet fleet, String name, RootVolumeSpec spec, String reason, String messagePart)
            throws Exception {
        expectRefused(fleet, name, reason, messagePart, () -> fleet.createVolume(name, spec),
                n -> java.util.Optional.ofNullable(fleet.volume(n)).map(RootVolume::getStatus).orElse(null));
    }

    /**
     * Creates the object, waits for its refusal, and checks that the operator made no agent request that changes
     * anything (PUT) and that the node holds nothing new.
     */
    private void expectRefused(Fleet fleet, String name, String reason, String messagePart, Runnable create,
                               Function<String, ConditionedStatus> status) throws Exception {
        Set<String> cacheBefore = cacheEntries();
        List<String> hostBefore = host.leftovers(fleet.namespace() + ".");
        double putsBefore = agentPuts();

        create.run();
        Condition ready = await().atMost(Fleet.TIMEOUT).until(
                () -> Fleet.condition(status.apply(name), "Ready").orElse(null),
                c -> c != null && reason.equals(c.getReason()));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains(messagePart);
        assertThat(status.apply(name).getConditions()).as("never scheduled")
                .noneMatch(c -> c.getType().equals("Scheduled") && c.getStatus().equals("True"));
        Event warning = await().atMost(Duration.ofSeconds(10)).until(() -> warning(fleet, name, reason),
                java.util.Objects::nonNull);
        assertThat(warning.getMessage()).contains(messagePart);

        assertThat(agentPuts()).as("no PUT reached an agent").isEqualTo(putsBefore);
        assertThat(host.leftovers(fleet.namespace() + ".")).as("nothing new on the host").isEqualTo(hostBefore);
        assertThat(cacheEntries()).as("no new cache entry").isEqualTo(cacheBefore);
    }

    private Event warning(Fleet fleet, String name, String reason) {
        return client.v1().events().inNamespace(fleet.namespace()).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
                        && reason.equals(e.getReason()))
                .findFirst().orElse(null);
    }

    private double agentPuts() {
        return stack.metrics().find("virtfleet.agent.calls").tag("method", "PUT").timers().stream()
                .mapToDouble(Timer::count).sum();
    }

    private Set<String> cacheEntries() throws IOException {
        Path cache = stack.node(NODE).config().cacheDir();
        if (!Files.isDirectory(cache)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).map(Path::toString).collect(Collectors.toSet());
        }
    }
}
