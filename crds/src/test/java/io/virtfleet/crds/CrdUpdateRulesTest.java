package io.virtfleet.crds;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Immutable fields refused at admission by CEL transition rules (self == oldSelf), evaluated by cel-java with both
 * bindings as the API server does on an update. On create these rules do not run.
 */
class CrdUpdateRulesTest {
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator RV = CrdSchemaValidator.forCommittedCrd("rootvolumes.virtfleet.io-v1.yml");

    private static final String VOLUME = """
            apiVersion: virtfleet.io/v1alpha1
            kind: RootVolume
            metadata: {name: web01-root}
            spec:
              image: {url: "s3://images/debian-12.qcow2"}
              size: 20Gi
              nodeName: hv-01
              storage: fast-ssd
            """;

    private static final String VM_PINNED = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachine
            metadata: {name: web01}
            spec:
              vcpus: 2
              memory: 2Gi
              nodeName: hv-01
              rootVolume: {name: web01-root}
            """;

    @Test
    void unchangedObjectsAndMutableFieldsPass() {
        assertThat(RV.updateViolations(VOLUME, VOLUME)).isEmpty();
        assertThat(RV.updateViolations(VOLUME, VOLUME.replace("20Gi", "40Gi"))).isEmpty();
        assertThat(VM.updateViolations(VM_PINNED, VM_PINNED.replace("vcpus: 2", "vcpus: 4"))).isEmpty();
        String unpinned = VM_PINNED.replace("  nodeName: hv-01\n", "");
        assertThat(VM.updateViolations(unpinned, VM_PINNED)).as("setting a pin the first time").isEmpty();
    }

    @Test
    void aBoundNodeCannotChangeOrGo() {
        assertThat(VM.updateViolations(VM_PINNED, VM_PINNED.replace("hv-01", "hv-02")))
                .anySatisfy(v -> assertThat(v).contains("spec.nodeName cannot change"));
        assertThat(VM.updateViolations(VM_PINNED, VM_PINNED.replace("  nodeName: hv-01\n", "")))
                .anySatisfy(v -> assertThat(v).contains("spec.nodeName cannot change"));
        assertThat(RV.updateViolations(VOLUME, VOLUME.replace("hv-01", "hv-02")))
                .anySatisfy(v -> assertThat(v).contains("spec.nodeName cannot change"));
    }

    @Test
    void theStoragePoolCannotChange() {
        assertThat(RV.updateViolations(VOLUME, VOLUME.replace("fast-ssd", "slow-hdd")))
                .anySatisfy(v -> assertThat(v).contains("spec.storage cannot change"));
        assertThat(RV.updateViolations(VOLUME, VOLUME.replace("  storage: fast-ssd\n", "")))
                .anySatisfy(v -> assertThat(v).contains("spec.storage cannot change"));
    }

    @Test
    void theImageChangesOnlyWithANewReprovisionToken() {
        String otherImage = VOLUME.replace("debian-12", "debian-13");
        assertThat(RV.updateViolations(VOLUME, otherImage))
                .anySatisfy(v -> assertThat(v).contains("spec.image.url changes only together with a new"));
        assertThat(RV.updateViolations(VOLUME, otherImage + "  reprovisionToken: \"2\"\n")).isEmpty();
        String withToken = VOLUME + "  reprovisionToken: \"2\"\n";
        assertThat(RV.updateViolations(withToken, withToken.replace("debian-12", "debian-13")))
                .as("same token").anySatisfy(v -> assertThat(v).contains("spec.image.url changes only"));
        assertThat(RV.updateViolations(withToken, withToken.replace("debian-12", "debian-13").replace("\"2\"", "\"3\"")))
                .isEmpty();
    }

    @Test
    void provisioningChangesOnlyWithANewReprovisionToken() {
        String overlay = VOLUME + "  provisioning: Overlay\n";
        assertThat(RV.updateViolations(VOLUME, overlay))
                .anySatisfy(v -> assertThat(v).contains("spec.provisioning changes only together with a new"));
        assertThat(RV.updateViolations(overlay, VOLUME)).as("removing it means Copy again")
                .anySatisfy(v -> assertThat(v).contains("spec.provisioning changes only together with a new"));
        assertThat(RV.updateViolations(VOLUME, VOLUME + "  provisioning: Copy\n")).as("the default spelled out")
                .isEmpty();
        assertThat(RV.updateViolations(VOLUME, overlay + "  reprovisionToken: \"2\"\n")).isEmpty();
        assertThat(RV.updateViolations(overlay, overlay)).isEmpty();
    }

    @Test
    void transitionRulesDoNotRunOnCreate() {
        assertThat(RV.violations(VOLUME)).isEmpty();
        assertThat(VM.violations(VM_PINNED)).isEmpty();
    }
}
