package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.CpuMode;
import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.secrets.SeedSecrets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.virtfleet.operator.virtualmachine.VirtualMachineSpecCheckTest.disk;
import static io.virtfleet.operator.virtualmachine.VirtualMachineSpecCheckTest.nic;
import static org.assertj.core.api.Assertions.assertThat;

class DomainRequestMapperTest {
    private static VirtualMachineSpec fullSpec() {
        VirtualMachineSpec spec = VirtualMachineSpecCheckTest.spec();
        spec.setMemory(new Quantity("2Gi"));
        spec.setFirmware(Firmware.UEFI);
        spec.setCpuMode(CpuMode.HOST_PASSTHROUGH);
        spec.setDataDisks(List.of(disk("vdb", "50Gi"), disk("vdc", "1Gi")));
        var second = nic("br1", "192.168.7.5/16");
        second.setMac("02:00:00:00:00:01");
        second.setGateway("192.168.0.1");
        second.setDefaultRoute(true);
        var first = nic("br0", "10.0.0.5/24");
        first.setGateway("10.0.0.1");
        first.setDns(List.of("10.0.0.53"));
        spec.setNetworkInterfaces(List.of(first, second));
        CloudInit cloudInit = new CloudInit();
        cloudInit.setFqdn("web01.example.org");
        cloudInit.setSshAuthorizedKeys(List.of("ssh-ed25519 AAAA ops"));
        spec.setCloudInit(cloudInit);
        spec.setKernelBoot(new KernelBoot("/srv/kernels/vmlinuz", "/srv/kernels/initrd.img", "console=ttyS0"));
        return spec;
    }

    @Test
    void everyFieldReachesTheAgentRequest() {
        var request = DomainRequestMapper.map("web01", "uid-1", fullSpec(), "default.web01-root", true, "i-1",
                new SeedSecrets("$6$salt$hash", "packages: [nginx]"));
        assertThat(request.ownerUid()).as("the agent records the VM's UID with the domain").isEqualTo("uid-1");
        assertThat(request.vcpus()).isEqualTo(2);
        assertThat(request.memoryBytes()).isEqualTo(2L << 30);
        assertThat(request.rootVolume()).isEqualTo("default.web01-root");
        assertThat(request.firmware()).isEqualTo(DomainRequest.Firmware.UEFI);
        assertThat(request.cpuMode()).isEqualTo(DomainRequest.CpuMode.HOST_PASSTHROUGH);
        assertThat(request.autostart()).as("runStrategy Always (default) autostarts").isTrue();
        assertThat(request.kernelBoot()).isEqualTo(
                new DomainRequest.KernelBoot("/srv/kernels/vmlinuz", "/srv/kernels/initrd.img", "console=ttyS0"));
        assertThat(request.dataDisks()).extracting(d -> d.device() + "=" + d.sizeBytes())
                .containsExactly("vdb=" + (50L << 30), "vdc=" + (1L << 30));
        assertThat(request.nics()).extracting(n -> n.bridge() + "/" + n.mac())
                .containsExactly("br0/be:ef:0a:00:00:05", "br1/02:00:00:00:00:01");
        var seed = request.cloudInit();
        assertThat(seed.instanceId()).isEqualTo("i-1");
        assertThat(seed.hostname()).isEqualTo("web01");
        assertThat(seed.fqdn()).isEqualTo("web01.example.org");
        assertThat(seed.sshAuthorizedKeys()).containsExactly("ssh-ed25519 AAAA ops");
        assertThat(seed.rootPasswordHash()).isEqualTo("$6$salt$hash");
        assertThat(seed.extraUserData()).isEqualTo("packages: [nginx]");
        assertThat(seed.networks()).extracting(n -> n.mac() + " " + n.addresses() + " " + n.defaultRoute())
                .as("each MAC travels once, on its NIC")
                .containsExactly("null [10.0.0.5/24] false", "null [192.168.7.5/16] true");
        assertThat(seed.toString()).as("secret values never in logs")
                .doesNotContain("$6$salt$hash").doesNotContain("nginx");
    }

    /** A running VM reaches its maxima without another placement: the agent defines them, the scheduler counts them. */
    @Test
    void liveMaximaReachTheAgentAndThePlacementDemand() {
        VirtualMachineSpec spec = fullSpec();
        assertThat(DomainRequestMapper.map("web01", "uid-1", spec, "r", true, "i-1", SeedSecrets.none()).maxima())
                .as("no maxima: the definition older agents wrote").isNull();
        spec.setLiveUpdate(VirtualMachineSpecCheckTest.liveUpdate(8, "6Gi"));

        var request = DomainRequestMapper.map("web01", "uid-1", spec, "r", true, "i-1", SeedSecrets.none());
        assertThat(request.maxima()).isEqualTo(new DomainRequest.Maxima(8, 6L << 30));
        assertThat(request.vcpus()).isEqualTo(2);
        RootVolumeSpec template = new RootVolumeSpec();
        template.setImage(new ImageSource("s3://images/debian.qcow2", null));
        template.setSize(new Quantity("10Gi"));
        spec.getRootVolume().setTemplate(template);
        assertThat(TemplatePlacement.demand(spec)).satisfies(demand -> {
            assertThat(demand.vcpus()).isEqualTo(8);
            assertThat(demand.memoryBytes()).isEqualTo(6L << 30);
        });
    }

    @Test
    void withoutCloudInitOrNicsThereIsNoSeedAndHaltedDoesNotAutostart() {
        VirtualMachineSpec spec = VirtualMachineSpecCheckTest.spec();
        spec.setRunStrategy(RunStrategy.Halted);
        var request = DomainRequestMapper.map("web01", "uid-1", spec, "default.web01-root", false, "i-1",
                SeedSecrets.none());
        assertThat(request.cloudInit()).isNull();
        assertThat(request.kernelBoot()).as("boots from the root disk").isNull();
        assertThat(request.firmware()).isEqualTo(DomainRequest.Firmware.BIOS);
        assertThat(request.cpuMode()).isNull();
        assertThat(request.autostart()).isFalse();
        assertThat(request.running()).isFalse();
    }

    @Test
    void theFirstNicCarriesTheDefaultRouteWhenNoneSaysSo() {
        VirtualMachineSpec spec = VirtualMachineSpecCheckTest.spec();
        var first = nic("br0", "10.0.0.5/24");
        first.setGateway("10.0.0.1");
        spec.setNetworkInterfaces(List.of(first, nic("br1", "10.1.0.5/24")));
        var seed = DomainRequestMapper.map("web01", "uid-1", spec, "v", true, "i", SeedSecrets.none())
                .cloudInit();
        assertThat(seed.hostname()).isEqualTo("web01");
        assertThat(seed.networks()).extracting(n -> n.defaultRoute()).containsExactly(true, false);
    }

    @Test
    void theInstanceIdIsStablePerTokenAndNewForANewToken() {
        assertThat(DomainRequestMapper.instanceId("uid-1", "1")).isEqualTo(DomainRequestMapper.instanceId("uid-1", "1"));
        assertThat(DomainRequestMapper.instanceId("uid-1", "2")).isNotEqualTo(DomainRequestMapper.instanceId("uid-1", "1"));
        assertThat(DomainRequestMapper.instanceId("uid-2", "1")).isNotEqualTo(DomainRequestMapper.instanceId("uid-1", "1"));
        assertThat(DomainRequestMapper.instanceId("uid-1", null)).startsWith("i-").hasSize(18);
    }
}
