package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.DataDisk;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualMachineSpecCheckTest {
    static VirtualMachineSpec spec() {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(2);
        spec.setMemory(new Quantity("1Gi"));
        spec.setRootVolume(new RootVolumeReference("web01-root"));
        return spec;
    }

    static NetworkInterface nic(String bridge, String ip) {
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge(bridge);
        nic.setIp(ip);
        return nic;
    }

    static DataDisk disk(String device, String size) {
        DataDisk disk = new DataDisk();
        disk.setDevice(device);
        disk.setSize(new Quantity(size));
        return disk;
    }

    private static String problem(VirtualMachineSpec spec) {
        return VirtualMachineSpecCheck.check("web01", spec).map(p -> p.reason() + ": " + p.message()).orElse("");
    }

    @Test
    void aPlainSpecPasses() {
        assertThat(VirtualMachineSpecCheck.check("web01", spec())).isEmpty();
    }

    /** DHCP NICs have no ip and (without spec.mac) no MAC yet: two of them are not duplicates of each other. */
    @Test
    void twoDhcpNicsWithoutMacsPass() {
        VirtualMachineSpec spec = spec();
        NetworkInterface first = nic(null, null);
        first.setNetwork("lab");
        first.setAddressing(NetworkInterface.Addressing.DHCP);
        NetworkInterface second = nic("br0", null);
        second.setAddressing(NetworkInterface.Addressing.DHCP);
        spec.setNetworkInterfaces(List.of(first, second));

        assertThat(problem(spec)).isEmpty();
    }

    @Test
    void bothNameAndTemplateIsInvalid() {
        VirtualMachineSpec spec = spec();
        spec.getRootVolume().setTemplate(new RootVolumeSpec());
        assertThat(problem(spec)).startsWith("InvalidSpec").contains("spec.rootVolume");
    }

    @Test
    void aTemplateMayNameACatalogImageButNotTogetherWithAUrl() {
        VirtualMachineSpec spec = spec();
        RootVolumeSpec template = new RootVolumeSpec();
        template.setImage(io.virtfleet.crds.v1alpha1.ImageSource.catalog("debian-12"));
        template.setSize(new io.fabric8.kubernetes.api.model.Quantity("10Gi"));
        spec.setRootVolume(new io.virtfleet.crds.v1alpha1.RootVolumeReference());
        spec.getRootVolume().setTemplate(template);
        assertThat(problem(spec)).isEmpty();

        template.getImage().setUrl("s3://images/x.qcow2");
        assertThat(problem(spec)).contains("spec.rootVolume.template.image: set exactly one of url and catalog");
        template.getImage().setUrl(null);
        template.getImage().setCatalog("../secret");
        assertThat(problem(spec)).contains("spec.rootVolume.template.image.catalog");
    }

    @Test
    void eachRuleNamesItsField() {
        VirtualMachineSpec zeroCpus = spec();
        zeroCpus.setVcpus(0);
        assertThat(problem(zeroCpus)).contains("spec.vcpus");

        VirtualMachineSpec disks = spec();
        disks.setDataDisks(List.of(disk("vdb", "1Gi"), disk("vdb", "2Gi")));
        assertThat(problem(disks)).contains("spec.dataDisks[].device must be unique");

        VirtualMachineSpec ips = spec();
        ips.setNetworkInterfaces(List.of(nic("br0", "10.0.0.5/24"), nic("br1", "10.0.0.5/16")));
        assertThat(problem(ips)).contains("spec.networkInterfaces[].ip must be unique");

        VirtualMachineSpec cidr = spec();
        cidr.setNetworkInterfaces(List.of(nic("br0", "10.0.0.300/24")));
        assertThat(problem(cidr)).contains("spec.networkInterfaces[0].ip");

        VirtualMachineSpec keys = spec();
        CloudInit cloudInit = new CloudInit();
        cloudInit.setFqdn("web01");
        cloudInit.setSshAuthorizedKeys(List.of("ssh-foo AAAA"));
        keys.setCloudInit(cloudInit);
        assertThat(problem(keys)).contains("spec.cloudInit.fqdn").contains("spec.cloudInit.sshAuthorizedKeys[0]");

        VirtualMachineSpec relativeKernel = spec();
        relativeKernel.setKernelBoot(new KernelBoot("boot/vmlinuz", "/boot/initrd.img/", null));
        assertThat(problem(relativeKernel)).contains("spec.kernelBoot.kernel 'boot/vmlinuz'")
                .contains("spec.kernelBoot.initrd '/boot/initrd.img/'");

        VirtualMachineSpec noKernel = spec();
        noKernel.setKernelBoot(new KernelBoot(null, "/boot/initrd.img", "console=ttyS0"));
        assertThat(problem(noKernel)).contains("spec.kernelBoot.kernel is required");

        VirtualMachineSpec token = spec();
        token.setReprovisionToken("2");
        assertThat(problem(token)).contains("spec.reprovisionToken needs rootVolume.template");

        VirtualMachineSpec restart = spec();
        restart.setRestartToken("r".repeat(253));
        assertThat(VirtualMachineSpecCheck.check("web01", restart)).isEmpty();
        restart.setRestartToken("r".repeat(10_000));
        assertThat(problem(restart)).contains("spec.restartToken is longer than 253 characters");
    }

    /** memory against maxMemory is checked here only: CEL cannot compare quantities on API servers before 1.29. */
    @Test
    void requestedValuesAboveTheirLiveMaximaAreInvalidAndNameBothFields() {
        VirtualMachineSpec within = spec();
        within.setLiveUpdate(liveUpdate(4, "2Gi"));
        assertThat(VirtualMachineSpecCheck.check("web01", within)).isEmpty();
        VirtualMachineSpec memory = spec();
        memory.setLiveUpdate(liveUpdate(null, "512Mi"));
        assertThat(problem(memory)).startsWith("InvalidSpec")
                .contains("spec.memory (1Gi) must not exceed spec.liveUpdate.maxMemory (512Mi)");
        VirtualMachineSpec vcpus = spec();
        vcpus.setLiveUpdate(liveUpdate(1, null));
        assertThat(problem(vcpus)).contains("spec.vcpus (2) must not exceed spec.liveUpdate.maxVcpus (1)");
        VirtualMachineSpec zero = spec();
        zero.setLiveUpdate(liveUpdate(null, "0"));
        assertThat(problem(zero)).contains("spec.liveUpdate.maxMemory");
    }

    static LiveUpdate liveUpdate(Integer maxVcpus, String maxMemory) {
        LiveUpdate live = new LiveUpdate();
        live.setMaxVcpus(maxVcpus);
        live.setMaxMemory(maxMemory == null ? null : new Quantity(maxMemory));
        return live;
    }

    @Test
    void everyFieldOfTheApiIsAcceptedNoneRefusedAsUnsupported() {
        VirtualMachineSpec spec = spec();
        spec.setFirmware(io.virtfleet.crds.v1alpha1.Firmware.UEFI);
        spec.setCpuMode(io.virtfleet.crds.v1alpha1.CpuMode.HOST_MODEL);
        spec.setRunStrategy(io.virtfleet.crds.v1alpha1.RunStrategy.Manual);
        spec.setNodeSelector(java.util.Map.of("rack", "a"));
        spec.setDataDisks(List.of(disk("vdb", "1Gi")));
        spec.setNetworkInterfaces(List.of(nic("br0", "10.0.0.5/24")));
        spec.setKernelBoot(new KernelBoot("/srv/kernels/vmlinuz", "/srv/kernels/initrd.img", "console=ttyS0"));
        spec.setLiveUpdate(liveUpdate(4, "4Gi"));
        assertThat(VirtualMachineSpecCheck.check("web01", spec)).isEmpty();
    }

    /** What the CRD refuses is refused again when it reaches the operator another way (an older CRD, no CEL). */
    @Test
    void hostDevicesNeedDistinctNamesAndResourceNamesWithoutWildcards() {
        VirtualMachineSpec spec = spec();
        spec.setHostDevices(List.of(new HostDeviceRequest("gpu0", "gpu.example.com/t4"),
                new HostDeviceRequest("gpu1", "gpu.example.com/t4")));
        assertThat(problem(spec)).isEmpty();

        spec.setHostDevices(List.of(new HostDeviceRequest("gpu0", "gpu.example.com/t4"),
                new HostDeviceRequest("gpu0", "gpu.example.com/t4")));
        assertThat(problem(spec)).startsWith("InvalidSpec").contains("spec.hostDevices[].name");
        spec.setHostDevices(List.of(new HostDeviceRequest("gpu0", "gpu.example.com/*")));
        assertThat(problem(spec)).contains("spec.hostDevices[0].resourceName");
        spec.setHostDevices(List.of(new HostDeviceRequest("GPU 0", "gpu.example.com/t4")));
        assertThat(problem(spec)).contains("spec.hostDevices[0].name");
        spec.setHostDevices(java.util.stream.IntStream.range(0, 9)
                .mapToObj(i -> new HostDeviceRequest("gpu" + i, "gpu.example.com/t4")).toList());
        assertThat(problem(spec)).contains("at most 8");
    }
}
