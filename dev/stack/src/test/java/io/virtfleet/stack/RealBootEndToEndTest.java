package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.ObservedInterface;
import io.virtfleet.crds.v1alpha1.VirtualNetwork;
import io.virtfleet.crds.v1alpha1.VirtualNetworkSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.fixtures.TestCloudImages;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.operator.OperatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A real distribution booted through the operator: Debian 12 ({@link TestCloudImages}, built from Debian packages)
 * from its own boot loader, once with BIOS and once with UEFI firmware, under TCG on the real libvirtd; its own
 * cloud-init reads the agent's NoCloud seed. A {@code runcmd} from the extra user-data (a Secret) prints what cloud-init
 * applied to the serial console ({@link CloudGuestReport}), and each item of the seed is asserted there: hostname and
 * FQDN, root's SSH key, root's password hash, the user-data's marker file, the MAC-matched interface renamed to
 * {@code eth0} with its address, the default route and the DNS server, and cloud-init logging no warning or error.
 * Reprovisioning (the BIOS guest only, to keep the run short) boots a fresh copy of the image with a new instance-id,
 * and cloud-init runs again under it. The UEFI guest has two NICs: the first on a VirtualNetwork (an isolated libvirt
 * network the operator realised on the node), the second on the bridge with the default route, which the guest must
 * put there and not on its first NIC; its status lists both addresses as libvirt's anti-spoofing filters hold them.
 * (The image has no DHCP client, so both NICs are static here.) Both guests are created at once and boot side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealBootEndToEndTest {
    private static final String NODE = "hv-1";
    static final String IMAGE_KEY = "debian/" + TestCloudImages.FILE_NAME;
    /**
     * Start to the report's last line under TCG: 70-90 s on a quiet machine, up to 3 minutes while other builds load
     * both cores; leave room for that.
     */
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(6);
    private static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eRealBootKey realboot@virtfleet";

    @TempDir
    static Path work;

    private TestBridge bridge;
    private LocalStack stack;
    private KubernetesClient client;
    private NodeContents host;
    private final List<String> namespaces = new ArrayList<>();
    private Guest bios;
    private Guest uefi;
    private VirtualNetwork network;

    @BeforeAll
    void buildImageAndStartOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        long started = System.nanoTime();
        TestImage image = TestCloudImages.debian();
        System.out.printf("real-boot figures: cloud image ready in %.1f s (%s, %d MiB compressed)%n",
                (System.nanoTime() - started) / 1e9, image.path(), image.path().toFile().length() >> 20);
        bridge = TestBridge.create();
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-realboot-" + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, Map.of()),
                OperatorSettings.defaults()));
        stack.putImage(IMAGE_KEY, image);
        client = stack.kubernetes().client();
        host = new NodeContents(stack.node(NODE));
        // Both guests boot at once (one TCG vCPU each on this machine's two cores): the tests then wait for them.
        network = isolatedNetwork();
        bios = new Guest(fleet(), "deb-bios", Firmware.BIOS, "192.0.2.10", "192.0.2.1", "192.0.2.53");
        uefi = new Guest(fleet(), "deb-uefi", Firmware.UEFI, "198.51.100.20", "198.51.100.1", "198.51.100.53");
        uefi.networkFirst = network.getMetadata().getName();
        bios.create();
        uefi.create();
    }

    @AfterAll
    void stopAndSweep() throws Exception {
        if (network != null) {
            client.resource(network).delete();
            await().atMost(Fleet.TIMEOUT).until(() -> client.resource(network).get() == null);
        }
        StackSweep.stopAndSweep(stack, host, namespaces, NODE, bridge);
    }

    /** BIOS: SeaBIOS → GRUB from the BIOS boot partition → the kernel → cloud-init; then a reprovision. */
    @Test
    void biosBootAppliesTheSeedAndAReprovisionRunsCloudInitAgain() throws Exception {
        Guest guest = bios;
        Fleet fleet = guest.fleet;
        CloudGuestReport first = guest.awaitFirstReport();
        guest.assertSeedApplied(first);

        String firstInstanceId = first.instanceId();
        long reprovisioned = System.nanoTime();
        fleet.editSpec(guest.name, spec -> spec.setReprovisionToken("2"));
        VirtualMachine again = await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm(guest.name),
                vm -> "2".equals(vm.getStatus().getProvisionedToken())
                        && vm.getStatus().getPhase() == VirtualMachinePhase.Running);
        assertThat(again.getStatus().getInstanceId()).isNotEqualTo(firstInstanceId);
        CloudGuestReport second = guest.awaitReport(again.getStatus().getInstanceId());
        guest.print(second);
        System.out.printf("real-boot figures: BIOS reprovision (token change -> runcmd report) %.1f s%n",
                (System.nanoTime() - reprovisioned) / 1e9);
        assertThat(second.instanceId()).as("cloud-init ran under the new instance-id")
                .isEqualTo(again.getStatus().getInstanceId()).isNotEqualTo(firstInstanceId);
        assertThat(second.console()).as("a fresh console log: the first run is not in it")
                .doesNotContain(CloudGuestReport.PREFIX + firstInstanceId);
        guest.assertSeedApplied(second);
        guest.delete();
    }

    /** UEFI: OVMF → EFI/BOOT/BOOTX64.EFI (GRUB) from the ESP → the kernel → cloud-init. */
    @Test
    void uefiBootAppliesTheSeed() throws Exception {
        Guest guest = uefi;
        CloudGuestReport report = guest.awaitFirstReport();
        guest.assertSeedApplied(report);
        assertThat(report.lines("ip4")).as("the first NIC, on the VirtualNetwork, has its address")
                .anyMatch(line -> line.matches("\\d+: eth0 +inet " + NETWORK_GUEST_IP.replace(".", "\\.") + "/25 .*"));
        assertThat(report.lines("route")).as("no default route on the first NIC").noneMatch(
                line -> line.startsWith("default") && line.contains("dev eth0"));
        VirtualMachine vm = guest.fleet.vm(guest.name);
        assertThat(vm.getStatus().getInterfaces()).as("addresses as libvirt's filters hold them")
                .extracting(ObservedInterface::getIp, ObservedInterface::getSource)
                .containsExactly(tuple(NETWORK_GUEST_IP, "static"), tuple(guest.ip, "static"));
        guest.delete();
    }

    private static final String NETWORK_GUEST_IP = "203.0.113.140";

    /** An isolated network (203.0.113.128/25) realised on the node by the operator, before the guests use it. */
    private VirtualNetwork isolatedNetwork() {
        VirtualNetworkSpec spec = new VirtualNetworkSpec();
        spec.setForwardMode(VirtualNetworkSpec.ForwardMode.isolated);
        spec.setBridge(LocalStack.NETWORK_BRIDGE_PREFIX + UUID.randomUUID().toString().substring(0, 8));
        spec.setIpv4("203.0.113.129/25");
        VirtualNetwork created = new VirtualNetwork();
        created.getMetadata().setName(LocalStack.NETWORK_PREFIX + "rb-" + UUID.randomUUID().toString().substring(0, 8));
        created.setSpec(spec);
        client.resource(created).create();
        return await().atMost(Fleet.TIMEOUT).until(() -> client.resource(created).get(), n -> n.getStatus() != null
                && n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                && c.getStatus().equals("True")));
    }

    private Fleet fleet() {
        Fleet fleet = new Fleet(client, "rb" + UUID.randomUUID().toString().substring(0, 8));
        namespaces.add(fleet.namespace());
        fleet.allow(policy -> {
            policy.setBridges(List.of(bridge.name()));
            policy.setNetworks(List.of(LocalStack.NETWORK_PREFIX + "*"));
        });
        return fleet;
    }

    /** One VM of the cloud image with a full seed, on the test bridge with documentation addresses. */
    private final class Guest {
        final Fleet fleet;
        final String name;
        final Firmware firmware;
        final String ip;
        final String gateway;
        final String dns;
        final SeedSecrets secrets;
        /** A VirtualNetwork for a first NIC before the bridge's (which then is eth1 and carries the default route). */
        String networkFirst;

        Guest(Fleet fleet, String name, Firmware firmware, String ip, String gateway, String dns) {
            this.fleet = fleet;
            this.name = name;
            this.firmware = firmware;
            this.ip = ip;
            this.gateway = gateway;
            this.dns = dns;
            this.secrets = SeedSecrets.random(name + "-seed");
        }

        String fqdn() {
            return name + ".realboot.example.org";
        }

        String mac() {
            String[] octets = ip.split("\\.");
            StringBuilder mac = new StringBuilder("be:ef");
            for (String octet : octets) {
                mac.append(':').append(String.format("%02x", Integer.parseInt(octet)));
            }
            return mac.toString();
        }

        /** The guest interface of the bridge NIC. */
        String bridgeInterface() {
            return networkFirst == null ? "eth0" : "eth1";
        }

        String domain() {
            return fleet.namespace() + "." + name;
        }

        long created;

        void create() {
            fleet.createSeedSecret(secrets.secretName(), Map.of(SeedSecrets.HASH_KEY, secrets.passwordHash(),
                    SeedSecrets.USER_DATA_KEY, CloudGuestReport.userData(secrets.marker())));
            created = System.nanoTime();
            client.resource(vm()).create();
        }

        CloudGuestReport awaitFirstReport() {
            VirtualMachine running = await().atMost(BOOT_TIMEOUT).until(() -> fleet.vm(name),
                    vm -> vm.getStatus() != null && vm.getStatus().getPhase() == VirtualMachinePhase.Running);
            CloudGuestReport report = awaitReport(running.getStatus().getInstanceId());
            System.out.printf("real-boot figures: %s create -> runcmd report %.1f s (download, populate, boot)%n",
                    firmware, (System.nanoTime() - created) / 1e9);
            print(report);
            return report;
        }

        CloudGuestReport awaitReport(String instanceId) {
            Path console = host.consoleLog(domain());
            return await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> CloudGuestReport.parse(NodeContents.text(console), instanceId),
                            report -> report != null && report.complete());
        }

        /** What the guest reported, in the test output: the evidence behind each assertion. */
        void print(CloudGuestReport report) {
            report.values().forEach((key, value) -> System.out.printf("real-boot %s %s=%s%n", firmware, key, value));
            report.lines().forEach((key, lines) -> lines.forEach(
                    line -> System.out.printf("real-boot %s %s| %s%n", firmware, key, line)));
        }

        void assertSeedApplied(CloudGuestReport report) {
            assertThat(report.value("marker")).as("runcmd from the extra user-data ran").isEqualTo(secrets.marker());
            assertThat(report.value("marker-file")).as("write_files from the extra user-data")
                    .isEqualTo(secrets.marker());
            assertThat(report.value("hostname")).as("hostname (meta-data local-hostname)").isEqualTo(name);
            assertThat(report.value("fqdn")).as("hostname -f (user-data fqdn)").isEqualTo(fqdn());
            assertThat(report.lines("authorized_keys")).as("root's authorized_keys").contains(SSH_KEY);
            assertThat(report.value("root-hash-prefix")).as("root's password hash in /etc/shadow (salt part)")
                    .isEqualTo(secrets.passwordHash().substring(0, CloudGuestReport.HASH_PREFIX_LENGTH));
            String eth = bridgeInterface();
            assertThat(report.lines("link")).as("the NIC matched by MAC was renamed " + eth)
                    .anyMatch(line -> line.matches("\\d+: " + eth + ": .*link/ether " + mac() + " .*"));
            assertThat(report.lines("ip4")).as("static address on " + eth)
                    .anyMatch(line -> line.matches("\\d+: " + eth + " +inet " + ip.replace(".", "\\.") + "/24 .*"));
            assertThat(report.lines("route")).as("default route via the gateway on " + eth)
                    .anyMatch(line -> line.startsWith("default via " + gateway + " dev " + eth));
            assertThat(report.lines("resolv.conf")).as("DNS server in resolv.conf").contains("nameserver " + dns);
            assertThat(report.lines("cloud-init-log")).as("WARNING, ERROR and Traceback lines of cloud-init.log")
                    .isEmpty();
        }

        VirtualMachine vm() {
            RootVolumeSpec template = new RootVolumeSpec();
            template.setImage(new ImageSource("s3://" + LocalStack.IMAGE_BUCKET + "/" + IMAGE_KEY, null));
            template.setSize(new Quantity(String.valueOf(TestCloudImages.VIRTUAL_SIZE)));
            VirtualMachine vm = SampleObjects.vm(fleet.namespace(), name, template, null);
            vm.getSpec().setMemory(new Quantity("1Gi"));
            vm.getSpec().setFirmware(firmware);
            NetworkInterface nic = new NetworkInterface();
            nic.setBridge(bridge.name());
            nic.setIp(ip + "/24");
            nic.setGateway(gateway);
            nic.setDns(List.of(dns));
            if (networkFirst == null) {
                vm.getSpec().setNetworkInterfaces(List.of(nic));
            } else {
                NetworkInterface first = new NetworkInterface();
                first.setNetwork(networkFirst);
                first.setIp(NETWORK_GUEST_IP + "/25");
                nic.setDefaultRoute(true);
                vm.getSpec().setNetworkInterfaces(List.of(first, nic));
            }
            CloudInit cloudInit = new CloudInit();
            cloudInit.setFqdn(fqdn());
            cloudInit.setSshAuthorizedKeys(List.of(SSH_KEY));
            cloudInit.setRootPasswordHash(new SecretKeySelector(SeedSecrets.HASH_KEY, secrets.secretName(), false));
            cloudInit.setUserData(new SecretKeySelector(SeedSecrets.USER_DATA_KEY, secrets.secretName(), false));
            vm.getSpec().setCloudInit(cloudInit);
            return vm;
        }

        void delete() throws Exception {
            client.resource(fleet.vm(name)).delete();
            await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm(name) == null && fleet.volume(name + "-root") == null);
            assertThat(host.leftovers(fleet.namespace() + "."))
                    .as("domain, NVRAM, root volume, seed and console log of %s", domain()).isEmpty();
        }
    }
}
