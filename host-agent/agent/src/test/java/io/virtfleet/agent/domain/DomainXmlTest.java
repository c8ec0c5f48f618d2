package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.agent.storage.VolumeBacking;
import io.virtfleet.agent.storage.VolumeInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DomainXmlTest {
    private static final UUID ID = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    static final VolumeInfo ROOT = new VolumeInfo("images", "team-a.web01-root", "/pool/team-a.web01-root", 1L << 30, false);
    private static final ConsoleFiles LOG = ConsoleFiles.in(Path.of("/var/lib/virtfleet/state/consoles"), "team-a.web01");

    static DomainPlan plan(String name, DomainRequest request, VolumeInfo root) {
        return new DomainPlan(name, ID, "qemu", request, root, List.of(), null, null, List.of(), LOG, null);
    }

    @Test
    void serializesTheMinimalDefinitionLibvirtExpects() {
        DomainRequest request = new DomainRequest(2, 1L << 30, "team-a.web01-root", true);

        String xml = LibvirtXml.write(DomainXmlConverter.convert(plan("team-a.web01", request, ROOT)));

        assertThat(xml).isEqualToIgnoringWhitespace("""
                <domain type="qemu">
                  <name>team-a.web01</name>
                  <uuid>0f0e0d0c-0b0a-4908-8706-050403020100</uuid>
                  <memory unit="KiB">1048576</memory>
                  <vcpu>2</vcpu>
                  <os>
                    <type arch="x86_64" machine="q35">hvm</type>
                    <boot dev="hd"/>
                  </os>
                  <features>
                    <acpi/>
                    <apic/>
                  </features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <disk type="volume" device="disk">
                      <driver name="qemu" type="raw"/>
                      <source pool="images" volume="team-a.web01-root"/>
                      <target dev="vda" bus="virtio"/>
                    </disk>
                    <serial type="unix">
                      <source mode="bind" path="/var/lib/virtfleet/state/consoles/e8f2f7e510205b39071b04265a239992.serial"/>
                      <log file="/var/lib/virtfleet/state/consoles/team-a.web01.log" append="off"/>
                      <target port="0"/>
                    </serial>
                    <console type="unix">
                      <source mode="bind" path="/var/lib/virtfleet/state/consoles/e8f2f7e510205b39071b04265a239992.serial"/>
                      <target type="serial" port="0"/>
                    </console>
                  </devices>
                </domain>
                """);
    }

    @Test
    void serializesUefiKernelBootDataDisksSeedNicsVncAndCpuMode() {
        DomainRequest request = new DomainRequest(4, 2L << 30, "team-a.web01-root", true,
                DomainRequest.Firmware.UEFI, DomainRequest.CpuMode.HOST_MODEL,
                List.of(new DomainRequest.DataDisk("vdb", 10L << 30)), List.of(new DomainRequest.Nic("br0", null)),
                null, true, new DomainRequest.KernelBoot("/boot/vmlinuz", "/boot/initrd.img", "console=ttyS0 root=/dev/vda"),
                true);
        VolumeInfo data = new VolumeInfo("images", "team-a.web01-vdb", "/pool/team-a.web01-vdb", 10L << 30, false);
        DomainPlan plan = new DomainPlan("team-a.web01", ID, "kvm", request, ROOT,
                List.of(new DomainPlan.DataDiskVolume("vdb", data)), Path.of("/state/seeds/team-a.web01.iso"),
                new FirmwareCatalog.Uefi("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
                List.of(new DomainPlan.Nic("br0", "be:ef:0a:00:00:05")), LOG, "abc");

        String xml = LibvirtXml.write(DomainXmlConverter.convert(plan));

        assertThat(xml).isEqualToIgnoringWhitespace("""
                <domain type="kvm">
                  <name>team-a.web01</name>
                  <uuid>0f0e0d0c-0b0a-4908-8706-050403020100</uuid>
                  <memory unit="KiB">2097152</memory>
                  <vcpu>4</vcpu>
                  <os>
                    <type arch="x86_64" machine="q35">hvm</type>
                    <loader readonly="yes" type="pflash">/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                    <nvram template="/usr/share/OVMF/OVMF_VARS_4M.fd"/>
                    <kernel>/boot/vmlinuz</kernel>
                    <initrd>/boot/initrd.img</initrd>
                    <cmdline>console=ttyS0 root=/dev/vda</cmdline>
                  </os>
                  <features>
                    <acpi/>
                    <apic/>
                  </features>
                  <cpu mode="host-model"/>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <disk type="volume" device="disk">
                      <driver name="qemu" type="raw"/>
                      <source pool="images" volume="team-a.web01-root"/>
                      <target dev="vda" bus="virtio"/>
                    </disk>
                    <disk type="volume" device="disk">
                      <driver name="qemu" type="raw"/>
                      <source pool="images" volume="team-a.web01-vdb"/>
                      <target dev="vdb" bus="virtio"/>
                    </disk>
                    <disk type="file" device="cdrom">
                      <driver name="qemu" type="raw"/>
                      <source file="/state/seeds/team-a.web01.iso"/>
                      <target dev="sda" bus="sata"/>
                      <readonly/>
                    </disk>
                    <interface type="bridge">
                      <mac address="be:ef:0a:00:00:05"/>
                      <source bridge="br0"/>
                      <model type="virtio"/>
                    </interface>
                    <serial type="unix">
                      <source mode="bind" path="/var/lib/virtfleet/state/consoles/e8f2f7e510205b39071b04265a239992.serial"/>
                      <log file="/var/lib/virtfleet/state/consoles/team-a.web01.log" append="off"/>
                      <target port="0"/>
                    </serial>
                    <console type="unix">
                      <source mode="bind" path="/var/lib/virtfleet/state/consoles/e8f2f7e510205b39071b04265a239992.serial"/>
                      <target type="serial" port="0"/>
                    </console>
                    <graphics type="vnc" socket="/var/lib/virtfleet/state/consoles/e8f2f7e510205b39071b04265a239992.vnc"/>
                  </devices>
                </domain>
                """);
    }

    @Test
    void escapesXmlMetacharactersInValues() {
        VolumeInfo root = new VolumeInfo("p\"&'<>", "v<1>&\"2\"", "/x", 1L << 30, false);
        DomainRequest request = new DomainRequest(1, 64L << 20, "v", false, null, null, List.of(), List.of(), null,
                false, new DomainRequest.KernelBoot("/k", null, "a</cmdline><kernel>/evil</kernel>&"), false);

        String xml = LibvirtXml.write(DomainXmlConverter.convert(plan("a<b>&c", request, root)));

        assertThat(xml).contains("<name>a&lt;b>&amp;c</name>")
                .contains("pool=\"p&quot;&amp;'&lt;>\"")
                .contains("volume=\"v&lt;1>&amp;&quot;2&quot;\"")
                .doesNotContain("a<b>").doesNotContain("<kernel>/evil");
        // and the escaped document reads back to the original values
        LibvirtXml.Parsed parsed = LibvirtXml.parse(xml);
        assertThat(parsed.value("/domain/name")).contains("a<b>&c");
        assertThat(parsed.value("/domain/devices/disk/source/@volume")).contains("v<1>&\"2\"");
        assertThat(parsed.values("/domain/os/kernel")).containsExactly("/k");
        assertThat(parsed.value("/domain/os/cmdline")).contains("a</cmdline><kernel>/evil</kernel>&");
    }

    @Test
    void roundsMemoryUpToWholeKibibytesAndUsesTheGivenDomainType() {
        DomainXml xml = DomainXmlConverter.convert(plan("d", new DomainRequest(1, (64L << 20) + 1, "v", false), ROOT));

        assertThat(xml.memory().value()).isEqualTo((64L << 10) + 1);
        assertThat(xml.type()).isEqualTo("qemu");
    }

    @Test
    void anOverlayRootSpellsOutItsWholeBackingChainSoNothingIsProbed() {
        VolumeInfo overlay = new VolumeInfo("images", "team-a.web01-root", "/pool/team-a.web01-root", 1L << 30, false,
                new VolumeBacking("/var/lib/virtfleet/cache/sha256/ab12", "qcow2"));
        DomainXml xml = DomainXmlConverter.convert(plan("team-a.web01", new DomainRequest(1, 1L << 30,
                "team-a.web01-root", true), overlay));

        assertThat(LibvirtXml.write(xml)).containsIgnoringWhitespaces("""
                <disk type="volume" device="disk">
                  <driver name="qemu" type="qcow2"/>
                  <source pool="images" volume="team-a.web01-root"/>
                  <backingStore type="file">
                    <format type="qcow2"/>
                    <source file="/var/lib/virtfleet/cache/sha256/ab12"/>
                    <backingStore/>
                  </backingStore>
                  <target dev="vda" bus="virtio"/>
                </disk>""");
        assertThat(DomainFingerprint.of(xml, null)).as("a copy and an overlay are different definitions")
                .isNotEqualTo(DomainFingerprint.of(DomainXmlConverter.convert(plan("team-a.web01",
                        new DomainRequest(1, 1L << 30, "team-a.web01-root", true), ROOT)), null));
    }

    @Test
    void theFingerprintReadsBackFromTheDocumentAndChangesWithTheDefinitionOrTheSeed() {
        DomainXml xml = DomainXmlConverter.convert(plan("d", new DomainRequest(3, 128L << 20, "v", true), ROOT));
        String stamped = LibvirtXml.write(DomainFingerprint.stamped(xml, "seed-1"));

        assertThat(DomainFingerprint.read(stamped)).contains(DomainFingerprint.of(xml, "seed-1"));
        DomainXml moreMemory = DomainXmlConverter.convert(plan("d", new DomainRequest(3, 256L << 20, "v", true), ROOT));
        assertThat(DomainFingerprint.of(moreMemory, "seed-1")).isNotEqualTo(DomainFingerprint.of(xml, "seed-1"));
        assertThat(DomainFingerprint.of(xml, "seed-2")).isNotEqualTo(DomainFingerprint.of(xml, "seed-1"));
        assertThat(DomainFingerprint.read("<domain><description>made by hand</description></domain>")).isEmpty();
    }

    @Test
    void declaredMaximaDefineCurrentValuesBelowThemWithABalloonAndKeepTheFingerprintAcrossLiveChanges() {
        DomainRequest request = new DomainRequest(2, 1L << 30, "v", true)
                .withMaxima(new DomainRequest.Maxima(4, 2L << 30));

        DomainXml xml = DomainXmlConverter.convert(plan("d", request, ROOT));

        assertThat(LibvirtXml.write(xml)).containsIgnoringWhitespaces("""
                <memory unit="KiB">2097152</memory>
                <currentMemory unit="KiB">1048576</currentMemory>
                <vcpu current="2">4</vcpu>""").containsIgnoringWhitespaces("<memballoon model=\"virtio\"/>");
        DomainXml moreLive = DomainXmlConverter.convert(plan("d", new DomainRequest(3, 1536L << 20, "v", true)
                .withMaxima(new DomainRequest.Maxima(4, 2L << 30)), ROOT));
        assertThat(DomainFingerprint.of(moreLive, null)).as("vCPUs and memory within the maxima change live")
                .isEqualTo(DomainFingerprint.of(xml, null));
        DomainXml higherMaximum = DomainXmlConverter.convert(plan("d", request
                .withMaxima(new DomainRequest.Maxima(8, 2L << 30)), ROOT));
        assertThat(DomainFingerprint.of(higherMaximum, null)).as("a new maximum needs a restart")
                .isNotEqualTo(DomainFingerprint.of(xml, null));
        assertThat(LiveResize.Current.of(LibvirtXml.write(moreLive))).isEqualTo(new LiveResize.Current(3, 1536 * 1024));
    }

    @Test
    void withoutMaximaTheDefinitionIsTheOneOlderAgentsWroteSoRunningDomainsKeepTheirFingerprint() {
        String xml = LibvirtXml.write(DomainXmlConverter.convert(plan("d", new DomainRequest(2, 1L << 30, "v", true),
                ROOT)));

        assertThat(xml).contains("<vcpu>2</vcpu>").doesNotContain("currentMemory").doesNotContain("memballoon");
        assertThat(LiveResize.Current.of(xml)).isEqualTo(new LiveResize.Current(2, 1024 * 1024));
        assertThat(LiveResize.Current.of("<domain><memory unit='MiB'>512</memory><vcpu placement='static'>1</vcpu>"
                + "</domain>")).isEqualTo(new LiveResize.Current(1, 512 * 1024));
    }

    @Test
    void autoDomainTypeSeesWhatTheCapabilitiesOffer() {
        String capabilities = """
                <capabilities>
                  <host><cpu><arch>x86_64</arch></cpu></host>
                  <guest><os_type>hvm</os_type>
                    <arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch>
                  </guest>
                  <guest><os_type>hvm</os_type>
                    <arch name='i686'><domain type='qemu'/></arch>
                  </guest>
                </capabilities>
                """;
        assertThat(HostCapabilities.offeredTypes(capabilities)).containsExactly("qemu", "kvm");
        assertThat(HostCapabilities.offeredTypes(capabilities.replace("<domain type='kvm'/>", ""))).containsExactly("qemu");
    }

    @Test
    void hostDevicesBecomeManagedPciHostdevsInRequestOrderAndNoneLeavesTheElementOut() {
        DomainRequest request = new DomainRequest(2, 1L << 30, "v", true)
                .withHostDevices(List.of("0000:03:00.0", "0001:af:1f.7"));

        String xml = LibvirtXml.write(DomainXmlConverter.convert(plan("team-a.gpu", request, ROOT)));

        assertThat(xml.replaceAll("\\s+", " ")).contains("""
                <hostdev mode="subsystem" type="pci" managed="yes"> <source> \
                <address domain="0x0000" bus="0x03" slot="0x00" function="0x0"/> </source> </hostdev> \
                <hostdev mode="subsystem" type="pci" managed="yes"> <source> \
                <address domain="0x0001" bus="0xaf" slot="0x1f" function="0x7"/> </source> </hostdev> <serial""");
        assertThat(LibvirtXml.write(DomainXmlConverter.convert(plan("d", new DomainRequest(2, 1L << 30, "v", true),
                ROOT)))).doesNotContain("hostdev");
    }
}
