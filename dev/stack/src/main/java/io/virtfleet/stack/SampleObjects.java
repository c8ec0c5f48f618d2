package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;

import java.util.Map;

/** Small objects on the stack's sample image, for end-to-end tests and benchmarks. */
public final class SampleObjects {
    public static final String IMAGE_URL = "s3://" + LocalStack.IMAGE_BUCKET + "/" + LocalStack.SAMPLE_IMAGE_KEY;

    private SampleObjects() {
    }

    /** A root volume of the sample image (whose virtual size is 64 MiB). */
    public static RootVolumeSpec volumeSpec(String size) {
        RootVolumeSpec spec = new RootVolumeSpec();
        spec.setImage(new ImageSource(IMAGE_URL, null));
        spec.setSize(new Quantity(size));
        return spec;
    }

    /** A one-vCPU, 128 MiB VM whose root volume comes from {@code template}. */
    public static VirtualMachine vm(String namespace, String name, RootVolumeSpec template,
                                    Map<String, String> selector) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(1);
        spec.setMemory(new Quantity("128Mi"));
        RootVolumeReference root = new RootVolumeReference();
        root.setTemplate(template);
        spec.setRootVolume(root);
        spec.setNodeSelector(selector);
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName(name);
        vm.getMetadata().setNamespace(namespace);
        vm.setSpec(spec);
        return vm;
    }
}
