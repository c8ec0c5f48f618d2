package io.virtfleet.crds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation rules of the committed CRDs, run through a real CEL evaluator and the schema's OpenAPI constraints,
 * because the mock API server the other tests use enforces neither. Each case breaks one rule of a valid object and
 * expects exactly that rule to answer.
 */
class CrdValidationRulesTest {
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator RV = CrdSchemaValidator.forCommittedCrd("rootvolumes.virtfleet.io-v1.yml");

    private static final String VALID_VM = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachine
            metadata: {name: web01}
            spec:
              vcpus: 2
              memory: 2Gi
              liveUpdate: {maxVcpus: 4, maxMemory: 4Gi}
              rootVolume:
                template:
                  image: {url: "s3://images/debian-12.qcow2"}
                  size: 20Gi
              reprovisionToken: "1"
              firmware: uefi
              cpuMode: host-passthrough
              runStrategy: Always
              dataDisks:
              - {device: vdb, size: 50Gi}
              - {device: vdc, size: 1073741824}
              networkInterfaces:
              - {bridge: br0, ip: 10.0.0.5/24, gateway: 10.0.0.1, dns: [10.0.0.53], defaultRoute: true}
              - {bridge: br1, ip: 192.168.7.5/16}
              cloudInit:
                fqdn: web01.example.org
                sshAuthorizedKeys:
                - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkq ops@example.org
                - ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=
                rootPasswordHash: {name: web01-secrets, key: rootPasswordHash}
            """;

    @Test
    void everyRuleCompilesWithCel() {
        assertThat(VM.allRules()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(RV.allRules()).hasSizeGreaterThanOrEqualTo(3);
        VM.allRules().forEach(CrdSchemaValidator::compile);
        RV.allRules().forEach(CrdSchemaValidator::compile);
    }

    @Test
    void aCompleteValidVirtualMachinePasses() {
        assertThat(VM.violations(VALID_VM)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            name with a dot                  | 'name: web01'                  | 'name: web.01'                | metadata.name must match
            name ending with a dash          | 'name: web01'                  | 'name: web01-'                | metadata.name must match
            zero vcpus                       | 'vcpus: 2'                     | 'vcpus: 0'                    | .spec.vcpus: below
            vcpus above the live maximum     | 'vcpus: 2'                     | 'vcpus: 5'                    | vcpus must not exceed liveUpdate.maxVcpus
            zero live vCPU maximum           | 'maxVcpus: 4'                  | 'maxVcpus: 0'                 | .spec.liveUpdate.maxVcpus: below
            zero live memory maximum         | 'maxMemory: 4Gi'               | 'maxMemory: 0'                | maxMemory must be a positive quantity
            zero memory                      | 'memory: 2Gi'                  | 'memory: 0Gi'                 | memory must be a positive quantity
            negative memory                  | 'memory: 2Gi'                  | 'memory: -1Gi'                | memory must be a positive quantity
            zero integer disk size           | 'size: 1073741824'             | 'size: 0'                     | size must be a positive quantity
            duplicate data disk device       | 'device: vdc'                  | 'device: vdb'                 | dataDisks[].device must be unique
            bad data disk device             | 'device: vdc'                  | 'device: sda'                 | .spec.dataDisks[1].device: does not match
            duplicate IP other prefix        | 'ip: 192.168.7.5/16'           | 'ip: 10.0.0.5/16'             | ip addresses must be unique
            CIDR without prefix              | 'ip: 192.168.7.5/16'           | 'ip: 192.168.7.5'             | .spec.networkInterfaces[1].ip: does not match
            CIDR octet out of range          | 'ip: 192.168.7.5/16'           | 'ip: 192.168.7.256/16'        | .spec.networkInterfaces[1].ip: does not match
            CIDR prefix out of range         | 'ip: 192.168.7.5/16'           | 'ip: 192.168.7.5/33'          | .spec.networkInterfaces[1].ip: does not match
            two default routes               | 'ip: 192.168.7.5/16'           | 'ip: 192.168.7.5/16, defaultRoute: true' | at most one network interface
            bad gateway                      | 'gateway: 10.0.0.1'            | 'gateway: 10.0.0'             | gateway: does not match
            bad dns                          | 'dns: [10.0.0.53]'             | 'dns: [dns.example.org]'      | dns entries must be IPv4
            FQDN with one label              | 'fqdn: web01.example.org'      | 'fqdn: web01'                 | fqdn: does not match
            FQDN with underscore             | 'fqdn: web01.example.org'      | 'fqdn: web_01.example.org'    | fqdn: does not match
            SSH key of unknown type          | '- ssh-ed25519 AAAAC3'         | '- ssh-foo AAAAC3'            | sshAuthorizedKeys entries must be OpenSSH
            SSH key without body             | '- ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkq ops@example.org' | '- ssh-ed25519' | sshAuthorizedKeys entries must be OpenSSH
            firmware outside the enum        | 'firmware: uefi'               | 'firmware: efi'               | .spec.firmware: not one of
            run strategy outside the enum    | 'runStrategy: Always'          | 'runStrategy: Sometimes'      | .spec.runStrategy: not one of
            run strategy in the wrong case   | 'runStrategy: Always'          | 'runStrategy: paused'         | .spec.runStrategy: not one of
            restart token over 253 chars     | 'reprovisionToken: "1"'        | 'reprovisionToken: "1"\n  restartToken: "%s"' | .spec.restartToken: longer than 253
            both pin and selector            | 'runStrategy: Always'          | 'runStrategy: Always\n  nodeName: hv1\n  nodeSelector: {rack: a}' | set either nodeName or nodeSelector
            name and template                | '  rootVolume:'                | '  rootVolume:\n    name: web01-root' | set exactly one of name or template
            token without template           | '    template:'                | '    name: web01-root\n    unused:' | reprovisionToken needs rootVolume.template
            """)
    void eachBrokenRuleIsReportedByItsRule(String what, String valid, String broken, String expected) {
        VM.assertRefusesEdit(what, VALID_VM, valid, broken.formatted("t".repeat(254)), expected);
    }

    @Test
    void thePowerFieldsAcceptTheirValues() {
        String paused = VALID_VM.replace("runStrategy: Always", "runStrategy: Paused\n  restartToken: \"2026-11-30T16:20:01.123456789Z\"");
        assertThat(paused).contains("Paused");
        assertThat(VM.violations(paused)).isEmpty();
        assertThat(VM.violations(paused.replace("2026-11-30T16:20:01.123456789Z", "t".repeat(253)))).isEmpty();
    }

    @Test
    void rootVolumeRules() {
        String valid = """
                apiVersion: virtfleet.io/v1alpha1
                kind: RootVolume
                metadata: {name: web01-root}
                spec:
                  image: {url: "s3://images/debian-12.qcow2", sha256: "%s"}
                  size: 20Gi
                  deletionPolicy: Retain
                """;
        assertThat(RV.violations(valid.formatted("a".repeat(64)))).isEmpty();
        assertThat(RV.violations(valid.formatted("A".repeat(64)))).anySatisfy(v -> assertThat(v).contains("sha256"));
        assertThat(RV.violations(valid.formatted("a".repeat(64)).replace("20Gi", "0")))
                .anySatisfy(v -> assertThat(v).contains("size must be a positive quantity"));
        assertThat(RV.violations(valid.formatted("a".repeat(64)).replace("Retain", "Keep")))
                .anySatisfy(v -> assertThat(v).contains("deletionPolicy"));
        assertThat(RV.violations(valid.formatted("a".repeat(64)).replace("s3://", "ftp://")))
                .anySatisfy(v -> assertThat(v).contains(".spec.image.url"));
        assertThat(RV.violations(valid.formatted("a".repeat(64)) + "  provisioning: Overlay\n")).isEmpty();
        assertThat(RV.violations(valid.formatted("a".repeat(64)) + "  provisioning: Snapshot\n"))
                .anySatisfy(v -> assertThat(v).contains("provisioning"));
    }
}
