package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.virtfleet.crds.v1alpha1.CloudInit;
import io.virtfleet.crds.v1alpha1.DataDisk;
import io.virtfleet.crds.v1alpha1.Firmware;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.fixtures.TestGuest;

import java.util.List;

/**
 * VirtualMachines that use what the operator maps onto the host: an inline template on the stack's sample image, a
 * NIC on a host bridge with a static address, cloud-init (FQDN, SSH key, password hash and user-data from a Secret),
 * a data disk, UEFI, direct kernel boot.
 */
final class SeededVms {
    static final String IP = "10.77.0.5";
    /** be:ef: + the IPv4 octets in hex, as the operator and agent derive it. */
    static final String MAC = "be:ef:0a:4d:00:05";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eTestKey e2e@virtfleet";
    static final String DATA_DISK_DEVICE = "vdb";
    static final long DATA_DISK_BYTES = 16L << 20;

    private SeededVms() {
    }

    static String fqdn(String name) {
        return name + ".e2e.example.org";
    }

    /** A UEFI VM with a data disk, a NIC and a full seed; its firmware finds nothing to boot, which is enough here. */
    static VirtualMachine uefiWithDataDisk(String namespace, String name, String bridge, SeedSecrets secrets) {
        VirtualMachine vm = seeded(namespace, name, bridge, secrets);
        DataDisk disk = new DataDisk();
        disk.setDevice(DATA_DISK_DEVICE);
        disk.setSize(new Quantity(DATA_DISK_BYTES + ""));
        vm.getSpec().setDataDisks(List.of(disk));
        vm.getSpec().setFirmware(Firmware.UEFI);
        return vm;
    }

    /** A VM that boots the test guest's kernel and initramfs from the node's files; the guest reports its seed. */
    static VirtualMachine kernelBooted(String namespace, String name, String bridge, SeedSecrets secrets,
                                       TestGuest guest) {
        VirtualMachine vm = seeded(namespace, name, bridge, secrets);
        vm.getSpec().setMemory(new Quantity("256Mi"));
        vm.getSpec().setKernelBoot(new KernelBoot(guest.kernel().toString(), guest.initrd().toString(),
                guest.cmdline()));
        return vm;
    }

    private static VirtualMachine seeded(String namespace, String name, String bridge, SeedSecrets secrets) {
        VirtualMachine vm = SampleObjects.vm(namespace, name, SampleObjects.volumeSpec("64Mi"), null);
        VirtualMachineSpec spec = vm.getSpec();
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge(bridge);
        nic.setIp(IP + "/24");
        nic.setGateway("10.77.0.1");
        nic.setDns(List.of("10.77.0.53"));
        spec.setNetworkInterfaces(List.of(nic));
        CloudInit cloudInit = new CloudInit();
        cloudInit.setFqdn(fqdn(name));
        cloudInit.setSshAuthorizedKeys(List.of(SSH_KEY));
        cloudInit.setRootPasswordHash(new SecretKeySelector(SeedSecrets.HASH_KEY, secrets.secretName(), false));
        cloudInit.setUserData(new SecretKeySelector(SeedSecrets.USER_DATA_KEY, secrets.secretName(), false));
        spec.setCloudInit(cloudInit);
        return vm;
    }
}
