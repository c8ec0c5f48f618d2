package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.kubectl.KubectlVirtfleet;
import io.virtfleet.kubectl.Verbs;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.DomainInfo.DomainState;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A VirtualMachine's whole life driven through the Kubernetes API (mock API server) by the operator, on a real agent,
 * the real libvirtd with QEMU (TCG) and a real Linux bridge: create with a data disk, a NIC and a seed built from
 * Secrets; reprovision; a hardware change that needs a restart; power operations (pause, unpause, restart) through
 * the kubectl plugin; deletion that leaves nothing on the host. The
 * Secret values must reach the seed and nowhere else: not the status, not the Events, not the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualMachineLifecycleEndToEndTest {
    private static final String NODE = "hv-1";

    @TempDir
    static Path work;

    private CapturedLogs logs;
    private TestBridge bridge;
    private LocalStack stack;
    private KubernetesClient client;
    private NodeContents host;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    void startOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        logs = CapturedLogs.start();
        bridge = TestBridge.create();
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-vmlife-" + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, Map.of()),
                OperatorSettings.defaults()));
        client = stack.kubernetes().client();
        host = new NodeContents(stack.node(NODE));
    }

    /** Whatever a failed test left: its domains off the shared libvirtd, the pool, the bridge. */
    @AfterAll
    void stopAndSweep() throws Exception {
        try {
            StackSweep.stopAndSweep(stack, host, namespaces, NODE, bridge);
        } finally {
            if (logs != null) {
                logs.close();
            }
        }
    }

    private Fleet fleet() {
        Fleet fleet = new Fleet(client, "vm" + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        return fleet;
    }

    @Test
    void createReprovisionChangeHardwareRestartAndDeleteLeaveNothingAndLeakNoSecret() throws Exception {
        Fleet fleet = fleet();
        fleet.allow(policy -> policy.setBridges(List.of(bridge.name())));
        SeedSecrets secrets = SeedSecrets.random("web01-seed");
        fleet.createSeedSecret(secrets.secretName(), secrets.secretData());
        client.resource(SeededVms.uefiWithDataDisk(fleet.namespace(), "web01", bridge.name(), secrets)).create();
        String domain = fleet.namespace() + ".web01";
        List<String> statuses = new ArrayList<>();

        // create: Running, with the NIC on the bridge, the data disk, UEFI NVRAM and the seed the Secrets went into
        VirtualMachine running = fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        statuses.add(Serialization.asJson(running.getStatus()));
        assertThat(running.getStatus().getNodeName()).isEqualTo(NODE);
        assertThat(running.getStatus().getMacAddresses()).containsExactly(SeededVms.MAC);
        assertThat(running.getStatus().getIpAddresses()).containsExactly(SeededVms.IP);
        NodeContents.DomainFacts facts = host.domain(domain).orElseThrow();
        assertThat(facts.active()).isTrue();
        assertThat(facts.autostart()).as("runStrategy Always autostarts with the host").isTrue();
        assertThat(facts.xml().value("/domain/devices/interface/source/@bridge")).contains(bridge.name());
        assertThat(facts.xml().value("/domain/devices/interface/mac/@address")).contains(SeededVms.MAC);
        Path nvram = Path.of(facts.xml().value("/domain/os/nvram").orElseThrow());
        assertThat(nvram).isRegularFile();
        Path dataDisk = host.volumeFile(domain + "_" + SeededVms.DATA_DISK_DEVICE);
        assertThat(dataDisk).isRegularFile().hasSize(SeededVms.DATA_DISK_BYTES);
        String firstInstanceId = running.getStatus().getInstanceId();
        assertThat(NodeContents.text(host.seedIso(domain))).contains("instance-id: " + firstInstanceId)
                .contains("fqdn: " + SeededVms.fqdn("web01")).contains(SeededVms.SSH_KEY)
                .contains(secrets.passwordHash()).contains(secrets.marker());

        // reprovision: the guest's writes (a marker, written while halted) are replaced by a fresh copy of the image
        RootVolume root = fleet.volume("web01-root");
        Path volumeFile = Path.of(root.getStatus().getDevicePath());
        fleet.setRunStrategy("web01", RunStrategy.Halted);
        fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        assertThat(host.domain(domain).orElseThrow()).satisfies(halted -> {
            assertThat(halted.active()).isFalse();
            assertThat(halted.autostart()).as("runStrategy Halted does not autostart").isFalse();
        });
        try (RandomAccessFile disk = new RandomAccessFile(volumeFile.toFile(), "rw")) {
            disk.write("written by the guest".getBytes(StandardCharsets.US_ASCII));
        }
        fleet.setRunStrategy("web01", RunStrategy.Always);
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(stack.sampleImage().compareWith(volumeFile)).as("qemu-img compare: marker in place").isEqualTo(1);
        int idBefore = host.domain(domain).orElseThrow().id();

        fleet.editSpec("web01", spec -> spec.setReprovisionToken("2"));
        VirtualMachine reprovisioned = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> "2".equals(vm.getStatus().getProvisionedToken())
                        && vm.getStatus().getPhase() == VirtualMachinePhase.Running);
        statuses.add(Serialization.asJson(reprovisioned.getStatus()));
        assertThat(stack.sampleImage().compareWith(volumeFile)).as("qemu-img compare: the image again").isZero();
        assertThat(fleet.volume("web01-root").getStatus().getPopulatedToken()).isEqualTo("2");
        String secondInstanceId = reprovisioned.getStatus().getInstanceId();
        assertThat(secondInstanceId).startsWith("i-").isNotEqualTo(firstInstanceId);
        assertThat(NodeContents.text(host.seedIso(domain))).contains("instance-id: " + secondInstanceId);
        assertThat(host.domain(domain).orElseThrow().id()).as("the domain was stopped and started").isNotEqualTo(idBefore);
        assertThat(eventMessages(fleet, "web01")).anyMatch(m -> m.startsWith("stopping the domain to reprovision"))
                .anyMatch(m -> m.startsWith("root volume re-populated (token 2)"));

        // hardware change while running: RestartRequired, and the operator does not restart on its own
        int idRunning = host.domain(domain).orElseThrow().id();
        fleet.editSpec("web01", spec -> spec.setVcpus(2));
        VirtualMachine needsRestart = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> Fleet.isTrue(vm.getStatus(), "RestartRequired"));
        statuses.add(Serialization.asJson(needsRestart.getStatus()));
        assertThat(Fleet.condition(needsRestart.getStatus(), "RestartRequired").orElseThrow().getReason())
                .isEqualTo("HardwareChanged");
        assertThat(host.domain(domain).orElseThrow()).satisfies(stillRunning -> {
            assertThat(stillRunning.id()).isEqualTo(idRunning);
            assertThat(stillRunning.vcpus()).isEqualTo(1);
        });
        fleet.setRunStrategy("web01", RunStrategy.Halted);
        fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        fleet.setRunStrategy("web01", RunStrategy.Always);
        VirtualMachine restarted = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> vm.getStatus().getPhase() == VirtualMachinePhase.Running
                        && !Fleet.isTrue(vm.getStatus(), "RestartRequired"));
        statuses.add(Serialization.asJson(restarted.getStatus()));
        assertThat(Fleet.condition(restarted.getStatus(), "RestartRequired").orElseThrow().getReason())
                .isEqualTo("DefinitionApplied");
        assertThat(host.domain(domain).orElseThrow().vcpus()).isEqualTo(2);

        deleteAndExpectNothingLeft(fleet, "web01");
        assertThat(List.of(nvram, dataDisk, volumeFile, host.seedIso(domain))).allSatisfy(p -> assertThat(p).doesNotExist());
        assertSecretsOnlyInTheSeed(fleet, secrets, statuses);
    }

    @Test
    void aRealGuestBootedThroughTheOperatorReadsItsSeedAndRootDisk() throws Exception {
        TestGuest guest = TestGuests.build(work.resolve(LocalStack.KERNEL_BOOT_DIR));
        Fleet fleet = fleet();
        fleet.allow(policy -> {
            policy.setBridges(List.of(bridge.name()));
            policy.setKernelBootDirectories(List.of(guest.kernel().getParent().toString(),
                    guest.initrd().getParent().toString()));
        });
        SeedSecrets secrets = SeedSecrets.random("guest01-seed");
        fleet.createSeedSecret(secrets.secretName(), secrets.secretData());
        client.resource(SeededVms.kernelBooted(fleet.namespace(), "guest01", bridge.name(), secrets, guest)).create();
        Path console = host.consoleLog(fleet.namespace() + ".guest01");

        // The guest powers itself off after its report; runStrategy Always starts it again, with a fresh log.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> NodeContents.text(console).contains(TestGuest.DONE));
        String report = NodeContents.text(console);
        VirtualMachine vm = fleet.vm("guest01");
        assertThat(report).contains("VFGUEST seed-device=/dev/sr0")
                .contains(TestGuest.seedLine("meta-data", "instance-id: " + vm.getStatus().getInstanceId()))
                .contains(TestGuest.seedLine("meta-data", "local-hostname: guest01"))
                .contains(TestGuest.seedLine("user-data", "fqdn: " + SeededVms.fqdn("guest01")))
                .contains(SeededVms.SSH_KEY)
                .contains(secrets.passwordHash())
                .contains(secrets.marker())
                .contains(TestGuest.seedLine("network-config", "      macaddress: " + SeededVms.MAC))
                .contains(TestGuest.rootDiskLine(TestImages.marker("quickstart").strip()))
                .doesNotContain("insmod-failed");

        deleteAndExpectNothingLeft(fleet, "guest01");
        assertSecretsOnlyInTheSeed(fleet, secrets, List.of(Serialization.asJson(vm.getStatus())));
    }

    /**
     * vCPUs and memory within {@code spec.liveUpdate} change on the running guest, through the operator: a booted
     * Linux guest (TCG) with the virtio balloon driver onlines a hot-plugged vCPU and its balloon follows the lower
     * memory, which {@code status.hardware} shows; a new maximum waits for a restart.
     */
    @Test
    void vcpusAndMemoryChangeOnTheRunningGuestWithinItsMaximaAndANewMaximumWaitsForARestart() throws Exception {
        TestGuest guest = TestGuests.buildStaying(work.resolve(LocalStack.KERNEL_BOOT_DIR).resolve("staying"));
        Fleet fleet = fleet();
        fleet.allow(policy -> policy.setKernelBootDirectories(List.of(guest.kernel().getParent().toString())));
        VirtualMachine created = SampleObjects.vm(fleet.namespace(), "live01", Fleet.volumeSpec("64Mi"), null);
        created.getSpec().setMemory(new Quantity("384Mi"));
        created.getSpec().setKernelBoot(new KernelBoot(guest.kernel().toString(), guest.initrd().toString(),
                guest.cmdline()));
        LiveUpdate live = new LiveUpdate();
        live.setMaxVcpus(2);
        live.setMaxMemory(new Quantity("384Mi"));
        created.getSpec().setLiveUpdate(live);
        client.resource(created).create();
        String domain = fleet.namespace() + ".live01";
        Path console = host.consoleLog(domain);
        VirtualMachine running = fleet.awaitPhase("live01", VirtualMachinePhase.Running);
        assertThat(running.getStatus().getHardware()).satisfies(hardware -> {
            assertThat(hardware.getVcpus()).isEqualTo(1);
            assertThat(hardware.getMaxVcpus()).isEqualTo(2);
            assertThat(hardware.getMaxMemory().toString()).isEqualTo("384Mi");
        });
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> NodeContents.text(console).contains(TestGuest.cpusOnlineLine("0")));
        int id = host.domain(domain).orElseThrow().id();

        fleet.editSpec("live01", spec -> {
            spec.setVcpus(2);
            spec.setMemory(new Quantity("256Mi"));
        });
        VirtualMachine resized = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("live01"),
                vm -> vm.getStatus().getHardware().getVcpus() == 2
                        && "256Mi".equals(vm.getStatus().getHardware().getMemory().toString()));
        assertThat(Fleet.isTrue(resized.getStatus(), "RestartRequired")).isFalse();
        assertThat(host.domain(domain).orElseThrow()).satisfies(domainNow -> {
            assertThat(domainNow.id()).as("the same running instance, no restart").isEqualTo(id);
            assertThat(domainNow.vcpus()).isEqualTo(2);
        });
        await().atMost(Fleet.TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> NodeContents.text(console).contains(TestGuest.cpusOnlineLine("0-1")));
        assertThat(client.v1().events().inNamespace(fleet.namespace()).list().getItems())
                .filteredOn(e -> "HardwareUpdated".equals(e.getReason())).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).contains("vCPUs 1 -> 2"))
                .anySatisfy(m -> assertThat(m).contains("-> 256Mi (balloon)"));

        fleet.editSpec("live01", spec -> spec.getLiveUpdate().setMaxMemory(new Quantity("512Mi")));
        VirtualMachine needsRestart = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("live01"),
                vm -> Fleet.isTrue(vm.getStatus(), "RestartRequired"));
        assertThat(needsRestart.getStatus().getHardware().getMaxMemory().toString()).as("still the running one")
                .isEqualTo("384Mi");
        assertThat(host.domain(domain).orElseThrow().id()).isEqualTo(id);

        deleteAndExpectNothingLeft(fleet, "live01");
    }

    /**
     * Power operations on a real QEMU domain through the kubectl plugin, the mock API and the operator: pause and
     * unpause keep the same running instance (libvirt's domain id), a restart gives it a new one exactly once — also
     * when the operator itself restarts in the middle — and a restart of a halted VM is only recorded. The guest has no
     * OS (the sample image), so its graceful shutdown ends with the agent's destroy after the stack's 5 s timeout.
     */
    @Test
    void powerOperationsThroughThePlugin() throws Exception {
        Fleet fleet = fleet();
        fleet.createVm("web01", Fleet.volumeSpec("64Mi"), null);
        String domain = fleet.namespace() + ".web01";
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        int firstId = host.domain(domain).orElseThrow().id();

        // pause: phase Paused, libvirt's state paused, the same instance
        assertThat(plugin("pause", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Paused);
        assertThat(host.domain(domain).orElseThrow()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(DomainState.VIR_DOMAIN_PAUSED);
            assertThat(d.id()).isEqualTo(firstId);
        });

        // unpause: Running again, still the same instance
        assertThat(plugin("unpause", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(host.domain(domain).orElseThrow()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
            assertThat(d.id()).isEqualTo(firstId);
        });

        // restart, with the operator restarted while the guest shuts down: one new instance, the token recorded
        assertThat(plugin("restart", "web01", "-n", fleet.namespace())).isZero();
        String token = fleet.vm("web01").getSpec().getRestartToken();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> Reason.RESTARTING.equals(readyReason(vm)));
        stack.stopOperator();
        stack.startOperator();
        VirtualMachine restarted = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web01"),
                vm -> token.equals(vm.getStatus().getObservedRestartToken())
                        && vm.getStatus().getPhase() == VirtualMachinePhase.Running
                        && Reason.DOMAIN_RUNNING.equals(readyReason(vm)));
        assertThat(restarted.getStatus().getObservedRestartToken()).isEqualTo(token);
        int secondId = host.domain(domain).orElseThrow().id();
        assertThat(secondId).as("a new instance").isNotEqualTo(firstId).isPositive();
        await().atMost(Fleet.TIMEOUT).until(() -> restartedEvents(fleet) >= 1);
        assertThat(restartedEvents(fleet)).as("Restarted once: %s", token).isEqualTo(1);

        // halted: a new token is recorded, nothing starts
        assertThat(plugin("stop", "web01", "-n", fleet.namespace())).isZero();
        fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        assertThat(plugin("restart", "web01", "-n", fleet.namespace())).isZero();
        String haltedToken = fleet.vm("web01").getSpec().getRestartToken();
        await().atMost(Fleet.TIMEOUT).until(() -> haltedToken.equals(
                fleet.vm("web01").getStatus().getObservedRestartToken()));
        assertThat(fleet.vm("web01").getStatus().getPhase()).isEqualTo(VirtualMachinePhase.Stopped);
        assertThat(host.domain(domain).orElseThrow().active()).isFalse();
        assertThat(restartedEvents(fleet)).isEqualTo(1);

        deleteAndExpectNothingLeft(fleet, "web01");
    }

    /** The plugin as a person runs it, on a client of its own to the stack's API. */
    private int plugin(String... args) {
        return new KubectlVirtfleet(Verbs.standard(),
                flags -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build(), Clock.systemUTC())
                .run(List.of(args), System.out, System.err);
    }

    private static String readyReason(VirtualMachine vm) {
        return vm.getStatus() == null ? null : Fleet.condition(vm.getStatus(), "Ready").map(c -> c.getReason())
                .orElse(null);
    }

    /** Restarted Events of the VM, occurrences summed (a restarted operator may start a new Event object). */
    private int restartedEvents(Fleet fleet) {
        return events(fleet, "web01").filter(e -> Reason.RESTARTED.equals(e.getReason()))
                .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }

    private void deleteAndExpectNothingLeft(Fleet fleet, String name) throws Exception {
        client.resource(fleet.vm(name)).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm(name) == null && fleet.volume(name + "-root") == null);
        assertThat(host.leftovers(fleet.namespace() + "."))
                .as("domain, NVRAM, volumes, data disks, seed, console log and markers of namespace %s",
                        fleet.namespace())
                .isEmpty();
    }

    /** The values reached the seed (asserted by the caller); they must appear in no status, Event or log line. */
    private void assertSecretsOnlyInTheSeed(Fleet fleet, SeedSecrets secrets, List<String> statuses) {
        List<String> events = client.v1().events().inNamespace(fleet.namespace()).list().getItems().stream()
                .map(Serialization::asJson).toList();
        String log = logs.text();
        assertThat(events).as("Events were recorded").isNotEmpty();
        assertThat(log).as("the operator's log was captured").contains(fleet.namespace());
        for (String value : secrets.sensitive()) {
            assertThat(statuses).as("statuses").noneMatch(s -> s.contains(value));
            assertThat(events).as("Events").noneMatch(e -> e.contains(value));
            assertThat(log).as("log output").doesNotContain(value);
        }
    }

    private List<String> eventMessages(Fleet fleet, String name) {
        return events(fleet, name).map(Event::getMessage).toList();
    }

    private Stream<Event> events(Fleet fleet, String name) {
        return client.v1().events().inNamespace(fleet.namespace()).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()));
    }
}
