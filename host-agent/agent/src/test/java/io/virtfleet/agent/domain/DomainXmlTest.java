package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.agent.storage.VolumeInfo;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DomainXmlTest {
    private static final UUID ID = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

    @Test
    void serializesTheDefinitionLibvirtExpects() {
        VolumeInfo root = new VolumeInfo("images", "team-a.web01-root", "/pool/team-a.web01-root", 1L << 30, false);
        DomainRequest request = new DomainRequest(2, 1L << 30, "team-a.web01-root", true);

        String xml = LibvirtXml.write(DomainXmlConverter.convert("team-a.web01", ID, request, "qemu", root));

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
                    <serial type="pty">
                      <target port="0"/>
                    </serial>
                    <console type="pty">
                      <target type="serial" port="0"/>
                    </console>
                  </devices>
                </domain>
                """);
    }

    @Test
    void escapesXmlMetacharactersInValues() {
        VolumeInfo root = new VolumeInfo("p\"&'<>", "v<1>&\"2\"", "/x", 1L << 30, false);
        String xml = LibvirtXml.write(DomainXmlConverter.convert("a<b>&c", ID, new DomainRequest(1, 64L << 20, "v", false), "kvm", root));

        assertThat(xml).contains("<name>a&lt;b>&amp;c</name>")
                .contains("pool=\"p&quot;&amp;'&lt;>\"")
                .contains("volume=\"v&lt;1>&amp;&quot;2&quot;\"")
                .doesNotContain("a<b>");
        // and the escaped document reads back to the original values
        LibvirtXml.Parsed parsed = LibvirtXml.parse(xml);
        assertThat(parsed.value("/domain/name")).contains("a<b>&c");
        assertThat(parsed.value("/domain/devices/disk/source/@volume")).contains("v<1>&\"2\"");
    }

    @Test
    void roundsMemoryUpToWholeKibibytesAndUsesTheGivenDomainType() {
        VolumeInfo root = new VolumeInfo("p", "v", "/x", 1L << 30, false);
        DomainXml xml = DomainXmlConverter.convert("d", ID, new DomainRequest(1, (64L << 20) + 1, "v", false), "kvm", root);

        assertThat(xml.memory().value()).isEqualTo((64L << 10) + 1);
        assertThat(xml.type()).isEqualTo("kvm");
    }

    @Test
    void shapeReadFromTheWrittenDocumentEqualsTheModelsShape() {
        VolumeInfo root = new VolumeInfo("p", "v", "/x", 1L << 30, false);
        DomainXml xml = DomainXmlConverter.convert("d", ID, new DomainRequest(3, 128L << 20, "v", true), "qemu", root);

        assertThat(DomainShape.parse(LibvirtXml.write(xml))).isEqualTo(DomainShape.of(xml));
        DomainXml moreMemory = DomainXmlConverter.convert("d", ID, new DomainRequest(3, 256L << 20, "v", true), "qemu", root);
        assertThat(DomainShape.of(moreMemory)).isNotEqualTo(DomainShape.of(xml));
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
}
