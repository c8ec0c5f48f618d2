package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Direct kernel boot: QEMU loads a kernel (and initramfs) from files on the node instead of the disk's boot loader. */
public class KernelBoot {
    @Required
    @Size(max = 4096)
    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Absolute path of the kernel image on the VM's node, e.g. /srv/kernels/vmlinuz-6.1.0-amd64.")
    private String kernel;

    @Size(max = 4096)
    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Absolute path of the initramfs on the VM's node; none when empty.")
    private String initrd;

    @Size(max = 2048)
    @JsonPropertyDescription("Kernel command line, e.g. console=ttyS0 root=/dev/vda rw (at most 2048 characters, the x86 limit).")
    private String cmdline;

    public KernelBoot() {
    }

    public KernelBoot(String kernel, String initrd, String cmdline) {
        this.kernel = kernel;
        this.initrd = initrd;
        this.cmdline = cmdline;
    }

    public String getKernel() {
        return kernel;
    }

    public void setKernel(String kernel) {
        this.kernel = kernel;
    }

    public String getInitrd() {
        return initrd;
    }

    public void setInitrd(String initrd) {
        this.initrd = initrd;
    }

    public String getCmdline() {
        return cmdline;
    }

    public void setCmdline(String cmdline) {
        this.cmdline = cmdline;
    }
}
