package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.spec.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.virtfleet.operator.policy.Policies.effective;
import static io.virtfleet.operator.policy.Policies.policy;
import static io.virtfleet.operator.policy.Policies.source;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyChecksTest {
    private static final EffectivePolicy NONE = effective("team-a");
    private static final EffectivePolicy ALLOWING = effective("team-a", policy("platform", java.util.Map.of(), s -> {
        s.setBridges(List.of("br-tenant"));
        s.setStoragePools(List.of("fast"));
        s.setKernelBootDirectories(List.of("/srv/kernels"));
        s.setImageSources(List.of(source("s3://images/public", true), source("https://images.example/", false)));
    }));

    private static RootVolumeSpec volume(String url, String credentials, String storage) {
        RootVolumeSpec spec = new RootVolumeSpec();
        ImageSource image = new ImageSource(url, null);
        image.setCredentialsSecret(credentials);
        spec.setImage(image);
        spec.setSize(new Quantity("1Gi"));
        spec.setStorage(storage);
        return spec;
    }

    private static VirtualMachineSpec vm(KernelBoot boot, String... bridges) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(1);
        spec.setMemory(new Quantity("1Gi"));
        spec.setRootVolume(new RootVolumeReference("web01-root"));
        spec.setKernelBoot(boot);
        spec.setNetworkInterfaces(java.util.Arrays.stream(bridges).map(b -> {
            NetworkInterface nic = new NetworkInterface();
            nic.setBridge(b);
            nic.setIp("192.0.2.10/24");
            return nic;
        }).toList());
        return spec;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            platform credentials, no policy         | none     | s3://virtfleet-images/x.qcow2     | -      | -    | ImageSourceNotAllowed
            own credentials, no policy              | none     | s3://anywhere/x.qcow2             | mine   | -    | -
            public https, no policy                 | none     | https://cloud.example/x.qcow2     | -      | -    | -
            plain http, no policy                   | none     | http://cloud.example/x.qcow2      | -      | -    | ImageSourceNotAllowed
            named pool, no policy                   | none     | https://cloud.example/x.qcow2     | -      | fast | StoragePoolNotAllowed
            platform credentials under the prefix   | allowing | s3://images/public/x.qcow2        | -      | -    | -
            exact prefix                            | allowing | s3://images/public                | -      | -    | -
            prefix of a longer bucket name          | allowing | s3://images/public-old/x.qcow2    | -      | -    | ImageSourceNotAllowed
            climbing out of the prefix              | allowing | s3://images/public/../secret.qcow2| -      | -    | ImageSourceNotAllowed
            encoded climb                           | allowing | s3://images/public/%2e%2e/secret  | -      | -    | ImageSourceNotAllowed
            another bucket with platform creds      | allowing | s3://secrets/dump.qcow2           | -      | -    | ImageSourceNotAllowed
            prefix without platform credentials     | allowing | s3://images.example/x.qcow2       | -      | -    | ImageSourceNotAllowed
            https prefix without credentials        | allowing | https://images.example/x.qcow2    | -      | -    | -
            own credentials outside listed prefixes | allowing | s3://anywhere/x.qcow2             | mine   | -    | ImageSourceNotAllowed
            allowed pool                            | allowing | https://images.example/x.qcow2    | -      | fast | -
            pool not allowed                        | allowing | https://images.example/x.qcow2    | -      | slow | StoragePoolNotAllowed
            """)
    void volumes(String what, String which, String url, String credentials, String storage, String reason) {
        Optional<Problem> problem = PolicyChecks.volume(volume(url, credentials, storage), "spec",
                which.equals("none") ? NONE : ALLOWING);
        if (reason == null) {
            assertThat(problem).as(what).isEmpty();
        } else {
            assertThat(problem).as(what).get().satisfies(p -> {
                assertThat(p.reason()).isEqualTo(reason);
                assertThat(p.message()).contains("spec.", reason.startsWith("StoragePool") ? storage : url)
                        .doesNotContain("null");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            /etc/shadow without a policy       | none     | /etc/shadow                     | -                              | HostPathNotAllowed
            kernel in the allowed directory    | allowing | /srv/kernels/vmlinuz            | /srv/kernels/initrd.img        | -
            kernel in a subdirectory           | allowing | /srv/kernels/6.1/vmlinuz        | -                              | -
            climbing out with ..               | allowing | /srv/kernels/../../etc/shadow   | -                              | HostPathNotAllowed
            a sibling directory sharing a name | allowing | /srv/kernels-old/vmlinuz        | -                              | HostPathNotAllowed
            the directory itself               | allowing | /srv/kernels                    | -                              | HostPathNotAllowed
            initrd outside                     | allowing | /srv/kernels/vmlinuz            | /etc/shadow                    | HostPathNotAllowed
            """)
    void kernelBoot(String what, String which, String kernel, String initrd, String reason) {
        Optional<Problem> problem = PolicyChecks.virtualMachine(vm(new KernelBoot(kernel, initrd, null)),
                which.equals("none") ? NONE : ALLOWING);
        if (reason == null) {
            assertThat(problem).as(what).isEmpty();
        } else {
            assertThat(problem).as(what).get().satisfies(p -> {
                assertThat(p.reason()).isEqualTo(reason);
                assertThat(p.message()).contains("spec.kernelBoot.");
            });
        }
    }

    @Test
    void bridgesMustBeAllowedAndTheMessageNamesTheNic() {
        assertThat(PolicyChecks.virtualMachine(vm(null, "br-tenant"), ALLOWING)).isEmpty();
        assertThat(PolicyChecks.virtualMachine(vm(null, "br-tenant", "br-mgmt"), ALLOWING)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("BridgeNotAllowed");
            assertThat(p.message()).contains("spec.networkInterfaces[1].bridge 'br-mgmt'", "allows br-tenant",
                    "TenantPolicy platform");
        });
        assertThat(PolicyChecks.virtualMachine(vm(null, "br0"), NONE)).get()
                .satisfies(p -> assertThat(p.message()).contains("allows none", "no TenantPolicy selects"));
    }

    @Test
    void aTemplateIsCheckedAsAVolumeUnderItsField() {
        VirtualMachineSpec spec = vm(null);
        RootVolumeReference template = new RootVolumeReference();
        template.setTemplate(volume("s3://virtfleet-images/x.qcow2", null, null));
        spec.setRootVolume(template);
        assertThat(PolicyChecks.virtualMachine(spec, NONE)).get().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("ImageSourceNotAllowed");
            assertThat(p.message()).contains("spec.rootVolume.template.image.url", "platform's S3 credentials");
        });
    }

    /** The catalogue's own namespaceSelector allows a catalogue image (CatalogImages); imageSources are for URLs. */
    @Test
    void aCatalogImageIsNotAnImageSourceButItsStoragePoolIsStillChecked() {
        RootVolumeSpec spec = volume(null, null, null);
        spec.setImage(ImageSource.catalog("debian-12"));
        assertThat(PolicyChecks.volume(spec, "spec", NONE)).isEmpty();
        spec.setStorage("slow");
        assertThat(PolicyChecks.volume(spec, "spec", ALLOWING)).get()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("StoragePoolNotAllowed"));
    }
}
