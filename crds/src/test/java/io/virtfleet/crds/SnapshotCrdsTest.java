package io.virtfleet.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * VirtualMachineSnapshot and VirtualMachineRestore at admission: their CEL rules evaluated by cel-java as the API
 * server would (the mock API of the other tests checks no schema). Cost budgets, bounds and kubectl surface are in
 * the shared CRD tests, which list these files too.
 */
class SnapshotCrdsTest {
    private static final CrdSchemaValidator SNAPSHOT =
            CrdSchemaValidator.forCommittedCrd("virtualmachinesnapshots.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator RESTORE =
            CrdSchemaValidator.forCommittedCrd("virtualmachinerestores.virtfleet.io-v1.yml");

    private static final CrdSchemaValidator RV = CrdSchemaValidator.forCommittedCrd("rootvolumes.virtfleet.io-v1.yml");
    private static final CrdSchemaValidator VM = CrdSchemaValidator.forCommittedCrd("virtualmachines.virtfleet.io-v1.yml");

    private static final String CLONE = """
            apiVersion: virtfleet.io/v1alpha1
            kind: RootVolume
            metadata: {name: web02-root}
            spec:
              source: {rootVolume: web01-root}
              size: 20Gi
            """;

    private static final String SNAP = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachineSnapshot
            metadata: {name: web01-before-upgrade}
            spec:
              source: {kind: VirtualMachine, name: web01}
            """;

    private static final String RESTORE_WEB01 = """
            apiVersion: virtfleet.io/v1alpha1
            kind: VirtualMachineRestore
            metadata: {name: web01-rollback}
            spec:
              target: {kind: VirtualMachine, name: web01}
              virtualMachineSnapshotName: web01-before-upgrade
            """;

    @Test
    void wellFormedObjectsPass() {
        assertThat(SNAPSHOT.violations(SNAP)).isEmpty();
        assertThat(RESTORE.violations(RESTORE_WEB01)).isEmpty();
        assertThat(SNAPSHOT.updateViolations(SNAP, SNAP)).isEmpty();
    }

    @Test
    void aSnapshotOrRestoreCannotBeRepointedAfterCreation() {
        assertThat(SNAPSHOT.updateViolations(SNAP, SNAP.replace("name: web01}", "name: db01}")))
                .anySatisfy(v -> assertThat(v).contains("a snapshot's spec cannot change"));
        assertThat(RESTORE.updateViolations(RESTORE_WEB01, RESTORE_WEB01.replace("web01-before-upgrade", "other")))
                .anySatisfy(v -> assertThat(v).contains("a restore's spec cannot change"));
    }

    @Test
    void aCloneNamesExactlyOneSourceInsteadOfAnImageAndKeepsIt() {
        assertThat(RV.violations(CLONE)).isEmpty();
        assertThat(RV.violations(CLONE.replace("{rootVolume: web01-root}", "{virtualMachineSnapshot: web01-before}")))
                .isEmpty();
        assertThat(RV.violations(CLONE.replace("{rootVolume: web01-root}",
                "{rootVolume: web01-root, virtualMachineSnapshot: web01-before}")))
                .anySatisfy(v -> assertThat(v).contains("set exactly one of rootVolume and virtualMachineSnapshot"));
        assertThat(RV.violations(CLONE.replace("  size: 20Gi", "  size: 20Gi\n  image: {url: \"s3://i/d.qcow2\"}")))
                .anySatisfy(v -> assertThat(v).contains("set exactly one of image and source"));
        assertThat(RV.violations(CLONE.replace("  source: {rootVolume: web01-root}\n", "")))
                .anySatisfy(v -> assertThat(v).contains("set exactly one of image and source"));
        assertThat(RV.violations(CLONE + "  reprovisionToken: again\n"))
                .anySatisfy(v -> assertThat(v).contains("a clone (spec.source) has no reprovisionToken"));
        assertThat(RV.violations(CLONE.replace("web01-root}", "../web01-root}"))).isNotEmpty();
        assertThat(RV.updateViolations(CLONE, CLONE.replace("web01-root}", "db01-root}")))
                .anySatisfy(v -> assertThat(v).contains("spec.source cannot change"));
    }

    @Test
    void aVmTemplateCannotClone() {
        String vm = """
                apiVersion: virtfleet.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: web02}
                spec:
                  vcpus: 1
                  memory: 1Gi
                  rootVolume: {template: {source: {rootVolume: web01-root}, size: 20Gi}}
                """;
        assertThat(VM.violations(vm)).anySatisfy(v -> assertThat(v).contains("a template cannot clone"));
    }

    @Test
    void onlyVirtualMachinesOfValidNamesAreSources() {
        assertThat(SNAPSHOT.violations(SNAP.replace("kind: VirtualMachine", "kind: RootVolume"))).isNotEmpty();
        assertThat(SNAPSHOT.violations(SNAP.replace("name: web01}", "name: ../etc}"))).isNotEmpty();
        assertThat(RESTORE.violations(RESTORE_WEB01.replace("web01-before-upgrade", "other-ns/snap"))).isNotEmpty();
        assertThat(SNAPSHOT.violations(SNAP.replace("web01-before-upgrade", "Bad.Name"))).isNotEmpty();
    }
}
