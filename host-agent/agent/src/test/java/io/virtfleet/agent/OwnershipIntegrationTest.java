package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owner UIDs over the HTTP API on the real libvirtd: a volume or domain created for one object is neither adopted by
 * nor deleted for another; requests without an owner keep working as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnershipIntegrationTest {
    private static final String UID_A = UUID.randomUUID().toString();
    private static final String UID_B = UUID.randomUUID().toString();

    private AgentHarness harness;
    private AgentClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        harness = AgentHarness.start(dir, config -> config);
        client = harness.client();
    }

    @AfterAll
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRetainedVolumeIsNotAdoptedByAnotherObjectAndNotDeletedForIt() {
        String volume = harness.sandbox().name("owned");
        assertThat(provision(volume, UID_A).phase()).isEqualTo(VolumePhase.Ready);

        // the RootVolume was deleted with its volume retained; a new object of the same name (another UID) comes
        AgentClient.Response adopt = client.volumes().put(volume, request(UID_B));
        assertThat(adopt.status()).isEqualTo(409);
        assertThat(adopt.error().reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
        assertThat(adopt.error().message()).contains(UID_A, UID_B);

        AgentClient.Response deleteForB = delete(AgentPaths.volume(volume), UID_B);
        assertThat(deleteForB.status()).isEqualTo(409);
        assertThat(deleteForB.error().reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
        assertThat(client.volumes().status(volume, VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);

        // the owner itself, and a caller without owner (outside Kubernetes), are served as before
        assertThat(client.volumes().put(volume, request(UID_A)).status()).isEqualTo(200);
        assertThat(client.volumes().put(volume, request(null)).status()).isEqualTo(200);
        assertThat(delete(AgentPaths.volume(volume), UID_A).status()).isEqualTo(204);
        assertThat(client.volumes().get(volume).status()).isEqualTo(404);

        // once it is gone, the name is free for the new object
        assertThat(provision(volume, UID_B).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(client.volumes().delete(volume).status()).as("no owner given: no check").isEqualTo(204);
    }

    @Test
    void aVolumeWithoutARecordedOwnerIsDeletedForAnyOwner() {
        String volume = harness.sandbox().name("legacy");
        assertThat(provision(volume, null).phase()).isEqualTo(VolumePhase.Ready);

        assertThat(delete(AgentPaths.volume(volume), UID_B).status()).isEqualTo(204);
        assertThat(client.volumes().get(volume).status()).isEqualTo(404);
    }

    @Test
    void aDomainIsNeitherTakenOverNorDeletedByAnotherOwner() throws Exception {
        String root = harness.sandbox().name("dom-owned-root");
        String domain = harness.sandbox().name("dom-owned");
        harness.provision(root, "t");
        assertThat(client.domains().put(domain, domain(root, UID_A)).status()).isEqualTo(200);
        Path dataDisk = harness.config().poolPath().resolve(domain + "_vdb");
        assertThat(dataDisk).isRegularFile();

        AgentClient.Response takeOver = client.domains().put(domain, domain(root, UID_B));
        assertThat(takeOver.status()).isEqualTo(409);
        assertThat(takeOver.error().reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);

        AgentClient.Response deleteForB = delete(AgentPaths.domain(domain), UID_B);
        assertThat(deleteForB.status()).isEqualTo(409);
        assertThat(deleteForB.error().reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
        assertThat(client.domains().get(domain).status()).isEqualTo(200);

        // pausing and resuming are the owner's too; the owner passes the check and meets the domain's state instead
        for (String path : List.of(AgentPaths.domainSuspend(domain), AgentPaths.domainResume(domain))) {
            AgentClient.Response forB = client.send("POST", path + "?" + AgentPaths.OWNER_UID + "=" + UID_B, null);
            assertThat(forB.status()).as(path).isEqualTo(409);
            assertThat(forB.error().reason()).as(path).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
            AgentClient.Response forA = client.send("POST", path + "?" + AgentPaths.OWNER_UID + "=" + UID_A, null);
            assertThat(forA.error().reason()).as(path).isEqualTo(AgentErrorReasons.INVALID_STATE);
        }
        assertThat(dataDisk).isRegularFile();

        assertThat(delete(AgentPaths.domain(domain), UID_A).status()).isEqualTo(204);
        assertThat(client.domains().get(domain).status()).isEqualTo(404);
        assertThat(dataDisk).doesNotExist();
        assertThat(client.volumes().delete(root).status()).isEqualTo(204);
    }

    @Test
    void namesWithTheDataDiskSeparatorAreRefused() {
        String volume = harness.sandbox().name("web_vdb");
        AgentClient.Response refused = client.volumes().put(volume, request(null));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST);
        AgentClient.Response domain = client.domains().put(volume, new DomainRequest(1, 64L << 20,
                harness.sandbox().name("root"), false));
        assertThat(domain.status()).isEqualTo(400);
    }

    private VolumeStatus provision(String volume, String ownerUid) {
        AgentClient.Response accepted = client.volumes().put(volume, request(ownerUid));
        assertThat(accepted.status()).as(accepted.body()).isIn(200, 202);
        return harness.awaitSettled(volume);
    }

    private AgentClient.Response delete(String path, String ownerUid) {
        return client.send("DELETE", path + "?" + AgentPaths.OWNER_UID + "=" + ownerUid, null);
    }

    private static VolumeRequest request(String ownerUid) {
        return new VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, null, "t", null, null,
                ownerUid);
    }

    private static DomainRequest domain(String root, String ownerUid) {
        return new DomainRequest(1, 64L << 20, root, false, null, null,
                List.of(new DomainRequest.DataDisk("vdb", 8L << 20)), List.of(), null, false, null, false, ownerUid);
    }
}
