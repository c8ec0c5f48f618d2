package io.virtfleet.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The schema and CEL rules of VirtualMachineImage and of spec.image.catalog (RootVolume and a VM's inline template),
 * evaluated as the API server would on the committed CRDs: valid objects pass, each broken one is refused by its rule.
 */
class ImageCatalogCrdRulesTest {
    private static final CrdSchemaValidator IMAGE =
            CrdSchemaValidator.forCommittedCrd("virtualmachineimages.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator RV = CrdSchemaValidator.forCommittedCrd("rootvolumes.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");

    private static final String VALID_IMAGE = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachineImage
            metadata: {name: debian-12}
            spec:
              url: s3://images/debian-12.qcow2
              sha256: 0000000000000000000000000000000000000000000000000000000000000000
              format: qcow2
              credentialsSecret: images-s3
              namespaceSelector: {matchLabels: {team: a}}
              prefetch: {nodeSelector: {virtfleet.io/hypervisor: "true"}, pin: true}
            """;

    private static final String VALID_VOLUME = """
            apiVersion: virtfleet.io/v1alpha1
            kind: RootVolume
            metadata: {name: web01-root}
            spec:
              image: {catalog: debian-12}
              size: 10Gi
            """;

    @Test
    void validObjectsPass() {
        assertThat(IMAGE.violations(VALID_IMAGE)).isEmpty();
        assertThat(IMAGE.violations("""
                apiVersion: virtfleet.io/v1alpha1
                kind: VirtualMachineImage
                metadata: {name: cirros}
                spec: {url: "https://images.example/cirros.img", namespaceSelector: {}}
                """)).isEmpty();
        assertThat(RV.violations(VALID_VOLUME)).isEmpty();
        assertThat(VM.violations("""
                apiVersion: virtfleet.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: web01}
                spec:
                  vcpus: 1
                  memory: 1Gi
                  rootVolume: {template: {image: {catalog: debian-12}, size: 10Gi}}
                """)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            name climbing the tree          | 'name: debian-12'                     | 'name: ../pins'                 | metadata.name must be
            name with a slash               | 'name: debian-12'                     | 'name: a/b'                     | metadata.name must be
            no namespaceSelector            | '  namespaceSelector: {matchLabels: {team: a}}\\n' | ''         | namespaceSelector: required
            url of another scheme           | 'url: s3://images/debian-12.qcow2'    | 'url: file:///etc/shadow'       | url: does not match
            digest not hex                  | 'sha256: 0000'                        | 'sha256: zz00'                  | sha256: does not match
            unknown format                  | 'format: qcow2'                       | 'format: vmdk'                  | format: not one of
            secret name with a slash        | 'credentialsSecret: images-s3'        | 'credentialsSecret: ../x'       | credentialsSecret: does not match
            """)
    void eachBrokenImageIsRefusedByItsRule(String what, String valid, String broken, String expected) {
        IMAGE.assertRefusesEdit(what, VALID_IMAGE, valid, broken, expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            catalog and url                  | '{catalog: debian-12}' | '{catalog: debian-12, url: "s3://b/k"}'    | set exactly one of url and catalog
            neither catalog nor url          | '{catalog: debian-12}' | '{}'                                        | set exactly one of url and catalog
            catalog with a digest            | '{catalog: debian-12}' | '{catalog: debian-12, sha256: "0000000000000000000000000000000000000000000000000000000000000000"}' | takes its sha256
            catalog with credentials         | '{catalog: debian-12}' | '{catalog: debian-12, credentialsSecret: mine}' | takes its sha256
            catalog name climbing the tree   | '{catalog: debian-12}' | '{catalog: ../../etc}'                      | catalog: does not match
            catalog name too long            | '{catalog: debian-12}' | '{catalog: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}' | catalog: 
            """)
    void eachBrokenCatalogReferenceIsRefusedByItsRule(String what, String valid, String broken, String expected) {
        RV.assertRefusesEdit(what, VALID_VOLUME, valid, broken, expected);
    }
}
