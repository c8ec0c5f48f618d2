package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.virtfleet.agent.ProvisionCalls.error;
import static io.virtfleet.agent.ProvisionCalls.post;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.ProvisionStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.provision.ProvisionSettings;
import io.virtfleet.fixtures.Sentinels;
import io.virtfleet.fixtures.TestCertificates;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.fixtures.UnsafeImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/provision} as automation outside Kubernetes calls it: plain HTTP requests with JSON text over
 * mutual TLS and the bearer token to a real agent on the real libvirtd (a {@code dir} pool of the sandbox) with images
 * in an S3 server in this JVM. The volume's bytes hash to the raw image's digest; a repeat fills it again; every field
 * that names something on the host is tried with what it must refuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionIntegrationTest {
    private static final String PREFIX = "s3://images/golden/";
    private static final long IMAGE_SIZE = TestImages.DEFAULT_VIRTUAL_SIZE;
    private static final String OWNER_UID = "4f6c2a1e-0000-4000-8000-000000000001";
    private static final byte[] SENTINEL = "PROVISION-SENTINEL-7f3a".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private ProvisionCalls calls;
    private AgentHarness harness;
    private HttpClient operatorTls;
    private String rawSha256;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        calls = new ProvisionCalls(dir);
        harness = calls.startAgent(dir.resolve("agent"), ProvisionSettings.enabled(PREFIX));
        operatorTls = calls.operatorClient();
        Path raw = harness.image().writeRaw(dir.resolve("disk.raw"));
        rawSha256 = TestImages.sha256(raw);
        harness.s3().putObject("images", "golden/disk.raw", raw);
        harness.s3().putObject("images", "golden/disk.raw.sha256",
                TestImages.sha256Sidecar(rawSha256, "disk.raw").getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** The body of docs/provision.md's curl example, sent as it is written there. */
    @Test
    void theDocumentedCallFillsTheVolumeWithTheImageAndARepeatFillsItAgain() throws Exception {
        String body = documentedBody();
        HttpResponse<String> first = post(harness, operatorTls, AgentHarness.TOKEN, body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        ProvisionStatus ready = AgentJson.MAPPER.readValue(first.body(), ProvisionStatus.class);
        assertThat(ready.phase()).isEqualTo(VolumePhase.Ready);
        assertThat(ready.hostVolume()).isEqualTo("vf-prov-build-42");
        assertThat(ready.pool()).isEqualTo(harness.sandbox().poolName());
        assertThat(ready.sizeBytes()).isEqualTo(IMAGE_SIZE);
        assertThat(ready.imageSha256()).isEqualTo(rawSha256);
        Path volume = Path.of(ready.path());
        assertThat(volume).startsWith(harness.config().poolPath());
        assertThat(TestImages.sha256(volume)).as("the volume's digest is the image's").isEqualTo(rawSha256);

        writeSentinel(volume, 0);
        writeSentinel(volume, 8L << 20);
        assertThat(Sentinels.countAligned(volume, SENTINEL)).isEqualTo(2);
        HttpResponse<String> repeat = post(harness, operatorTls, AgentHarness.TOKEN, body);

        assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(200);
        assertThat(AgentJson.MAPPER.readValue(repeat.body(), ProvisionStatus.class).path()).isEqualTo(ready.path());
        assertThat(Sentinels.countAligned(volume, SENTINEL)).as("a repeat repopulates").isZero();
        assertThat(TestImages.sha256(volume)).isEqualTo(rawSha256);
    }

    @Test
    void aRepeatMayGrowTheVolumeButNeverShrinkIt() throws Exception {
        String grown = request("grow", IMAGE_SIZE * 2);
        assertThat(post(harness, operatorTls, AgentHarness.TOKEN, request("grow", IMAGE_SIZE)).statusCode()).isEqualTo(200);
        ProvisionStatus bigger = AgentJson.MAPPER.readValue(post(harness, operatorTls, AgentHarness.TOKEN, grown).body(),
                ProvisionStatus.class);
        assertThat(bigger.sizeBytes()).isEqualTo(IMAGE_SIZE * 2);
        Path volume = Path.of(bigger.path());
        writeSentinel(volume, 0);

        HttpResponse<String> smaller = post(harness, operatorTls, AgentHarness.TOKEN, request("grow", IMAGE_SIZE));

        assertThat(smaller.statusCode()).isEqualTo(409);
        assertThat(error(smaller).reason()).isEqualTo(AgentErrorReasons.SHRINK_REFUSED);
        assertThat(Files.size(volume)).isEqualTo(IMAGE_SIZE * 2);
        assertThat(Sentinels.countAligned(volume, SENTINEL)).as("nothing changed").isEqualTo(1);
        assertThat(volumeStatus("vf-prov-grow").phase()).isEqualTo(VolumePhase.Ready);

        assertThat(send("DELETE", AgentPaths.volume("vf-prov-grow"), null).statusCode())
                .as("a provisioned volume is removed through the volume API").isEqualTo(204);
        assertThat(volume).doesNotExist();
    }

    @Test
    void aVolumeARunningDomainUsesIsNotRepopulated() throws Exception {
        assertThat(post(harness, operatorTls, AgentHarness.TOKEN, request("in-use", IMAGE_SIZE)).statusCode()).isEqualTo(200);
        String domain = harness.sandbox().name("prov-vm");
        HttpResponse<String> defined = send("PUT", AgentPaths.domain(domain),
                AgentJson.MAPPER.writeValueAsString(new DomainRequest(1, 64L << 20, "vf-prov-in-use", true)));
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(200);

        HttpResponse<String> repeat = post(harness, operatorTls, AgentHarness.TOKEN, request("in-use", IMAGE_SIZE));

        assertThat(repeat.statusCode()).isEqualTo(409);
        assertThat(error(repeat).reason()).isEqualTo(AgentErrorReasons.VOLUME_IN_USE);
        assertThat(error(repeat).message()).contains(domain);
        assertThat(volumeStatus("vf-prov-in-use").phase()).isEqualTo(VolumePhase.Ready);
    }

    /** An operator-managed volume ({@code <namespace>.<name>}) can neither be named nor reached by the call. */
    @Test
    void theCallNeverReachesAVolumeTheOperatorManages() throws Exception {
        String tenantVolume = harness.sandbox().name("tenant-root");
        HttpResponse<String> created = send("PUT", AgentPaths.volume(tenantVolume), volumeBody(OWNER_UID));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 202);
        VolumeStatus before = await().atMost(Duration.ofSeconds(60)).until(() -> volumeStatus(tenantVolume),
                status -> status.phase() == VolumePhase.Ready);
        writeSentinel(Path.of(before.devicePath()), 0);

        for (String name : new String[]{tenantVolume, "../" + tenantVolume, "..", "a/b", "A", "x_vdb", "-x", ""}) {
            HttpResponse<String> refused = post(harness, operatorTls, AgentHarness.TOKEN, request(name, AgentHarness.VOLUME_SIZE));
            assertThat(refused.statusCode()).as(name).isEqualTo(400);
            assertThat(error(refused).reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST);
        }
        HttpResponse<String> reserved = send("PUT", AgentPaths.volume("vf-prov-x"),
                AgentJson.MAPPER.writeValueAsString(AgentHarness.volumeRequest("t1")));
        assertThat(reserved.statusCode()).as("the volume API does not create names in the call's space").isEqualTo(400);

        assertThat(Sentinels.countAligned(Path.of(before.devicePath()), SENTINEL)).isEqualTo(1);
        assertThat(volumeStatus(tenantVolume).populatedToken()).isEqualTo("t1");
    }

    /**
     * A namespace named like the call's space ({@code vf-prov-ci}) is an ordinary tenant: its volumes
     * ({@code vf-prov-ci.root}) are created through the volume API, owner-checked as usual, and the call cannot reach
     * them. Only the call's own names (no '.', no '_') are reserved.
     */
    @Test
    void aNamespaceNamedLikeTheCallsSpaceKeepsItsVolumesAndTheCallCannotReachThem() throws Exception {
        String tenantVolume = "vf-prov-ci.root";
        HttpResponse<String> created = send("PUT", AgentPaths.volume(tenantVolume), volumeBody(OWNER_UID));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 202);
        VolumeStatus before = await().atMost(Duration.ofSeconds(60)).until(() -> volumeStatus(tenantVolume),
                status -> status.phase() == VolumePhase.Ready);
        writeSentinel(Path.of(before.devicePath()), 0);

        HttpResponse<String> foreign = send("PUT", AgentPaths.volume(tenantVolume),
                volumeBody("4f6c2a1e-0000-4000-8000-0000000000ff"));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(409);
        assertThat(error(foreign).reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
        for (String reserved : new String[]{"vf-prov-web", "vf-prov-ci"}) {
            HttpResponse<String> refused = send("PUT", AgentPaths.volume(reserved), volumeBody(OWNER_UID));
            assertThat(refused.statusCode()).as(reserved).isEqualTo(400);
            assertThat(error(refused).message()).contains("reserved");
        }
        for (String name : new String[]{"ci.root", tenantVolume}) {
            assertThat(post(harness, operatorTls, AgentHarness.TOKEN, request(name, IMAGE_SIZE)).statusCode())
                    .as(name).isEqualTo(400);
        }
        HttpResponse<String> own = post(harness, operatorTls, AgentHarness.TOKEN, request("ci", IMAGE_SIZE));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);

        assertThat(AgentJson.MAPPER.readValue(own.body(), ProvisionStatus.class).hostVolume()).isEqualTo("vf-prov-ci");
        assertThat(Sentinels.countAligned(Path.of(before.devicePath()), SENTINEL)).isEqualTo(1);
        assertThat(volumeStatus(tenantVolume).populatedToken()).isEqualTo("t1");
    }

    @Test
    void imagesOutsideTheProvisionPrefixesAreRefused() throws Exception {
        for (String url : new String[]{AgentHarness.IMAGE_URL, "s3://images/golden/../test-image.qcow2",
                "s3://images/golden/%2e%2e/test-image.qcow2", "s3://images/goldenx/disk.raw", "s3://other/golden/disk.raw",
                "https://169.254.169.254/golden/disk.raw", "file:///etc/shadow"}) {
            HttpResponse<String> refused = post(harness, operatorTls, AgentHarness.TOKEN,
                    "{\"imageUrl\":\"" + url + "\",\"volume\":\"outside\",\"sizeBytes\":" + IMAGE_SIZE + "}");

            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(error(refused).reason()).as(url).isIn(AgentErrorReasons.SOURCE_NOT_ALLOWED,
                    AgentErrorReasons.UNSUPPORTED_IMAGE_URL);
        }
        assertThat(send("GET", AgentPaths.volume("vf-prov-outside"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void anImageThatNamesAHostFileIsInspectedAndRefused() throws Exception {
        var evil = UnsafeImages.backingFileImage(dir.resolve("upload"), "evil");
        harness.s3().putObject("images", "golden/evil.qcow2", evil.path());

        HttpResponse<String> failed = post(harness, operatorTls, AgentHarness.TOKEN,
                "{\"imageUrl\":\"s3://images/golden/evil.qcow2\",\"sha256\":\"" + evil.sha256()
                        + "\",\"volume\":\"evil\",\"sizeBytes\":" + AgentHarness.VOLUME_SIZE + "}");

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(409);
        ProvisionStatus status = AgentJson.MAPPER.readValue(failed.body(), ProvisionStatus.class);
        assertThat(status.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(status.error().reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        assertThat(UnsafeImages.filesWithSentinel(harness.config().poolPath(), harness.config().cacheDir())).isEmpty();
    }

    @Test
    void poolsOutsideTheAllowListAndUnknownFieldsAreRefused() throws Exception {
        HttpResponse<String> pool = post(harness, operatorTls, AgentHarness.TOKEN, "{\"imageUrl\":\"" + PREFIX
                + "disk.raw\",\"volume\":\"pool\",\"sizeBytes\":" + IMAGE_SIZE + ",\"pool\":\"default\"}");
        assertThat(pool.statusCode()).isEqualTo(409);
        assertThat(error(pool).reason()).isEqualTo(AgentErrorReasons.POOL_NOT_ALLOWED);
        HttpResponse<String> badPool = post(harness, operatorTls, AgentHarness.TOKEN, "{\"imageUrl\":\"" + PREFIX
                + "disk.raw\",\"volume\":\"pool\",\"sizeBytes\":" + IMAGE_SIZE + ",\"pool\":\"../etc\"}");
        assertThat(badPool.statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = post(harness, operatorTls, AgentHarness.TOKEN, "{\"imageUrl\":\"" + PREFIX
                + "disk.raw\",\"volume\":\"fields\",\"sizeBytes\":" + IMAGE_SIZE + ",\"credentials\":{}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).message()).contains("unknown field 'credentials'");
        HttpResponse<String> quantity = post(harness, operatorTls, AgentHarness.TOKEN, "{\"imageUrl\":\"" + PREFIX
                + "disk.raw\",\"volume\":\"fields\",\"sizeBytes\":\"64Mi\"}");
        assertThat(quantity.statusCode()).isEqualTo(400);
        assertThat(send("GET", AgentPaths.volume("vf-prov-pool"), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", AgentPaths.volume("vf-prov-fields"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void theCallNeedsTheTokenAndTheOperatorsCertificate() throws Exception {
        String body = request("auth", IMAGE_SIZE);
        HttpResponse<String> noToken = post(harness, operatorTls, null, body);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(post(harness, operatorTls, "wrong-token", body).statusCode()).isEqualTo(401);

        HttpClient anotherName = calls.client(calls.ca().issue("automation-without-the-operators-name"));
        assertThatThrownBy(() -> post(harness, anotherName, AgentHarness.TOKEN, body)).isInstanceOf(IOException.class);
        HttpClient anotherCa = calls.client(TestCertificates.newCa("another-ca").issue(ProvisionCalls.OPERATOR));
        assertThatThrownBy(() -> post(harness, anotherCa, AgentHarness.TOKEN, body)).isInstanceOf(IOException.class);
        assertThat(send("GET", AgentPaths.volume("vf-prov-auth"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void theCallDoesNotExistUnlessEnabled() throws Exception {
        try (AgentHarness off = calls.startAgent(dir.resolve("off"), ProvisionSettings.DISABLED)) {
            HttpResponse<String> absent = post(off, operatorTls, AgentHarness.TOKEN, documentedBody());

            assertThat(absent.statusCode()).isEqualTo(404);
            assertThat(off.sandbox().connect().storagePoolLookupByName(off.sandbox().poolName()).listVolumes()).isEmpty();
        }
    }

    /**
     * With a wait ceiling of zero every call answers at once: 202 while the population runs, and a repeat of the same
     * request waits on that population (never 409 "another request"), 200 once it is Ready.
     */
    @Test
    void pastTheWaitCeilingTheCallAnswers202AndARepeatJoinsThePopulation() throws Exception {
        try (AgentHarness quick = calls.startAgent(dir.resolve("quick"),
                ProvisionSettings.enabled("s3://images/").withWaitCeiling(Duration.ZERO))) {
            String body = "{\"imageUrl\":\"" + AgentHarness.IMAGE_URL + "\",\"volume\":\"quick\",\"sizeBytes\":"
                    + AgentHarness.VOLUME_SIZE + "}";
            HttpResponse<String> accepted = post(quick, operatorTls, AgentHarness.TOKEN, body);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(AgentJson.MAPPER.readValue(accepted.body(), ProvisionStatus.class).phase())
                    .isIn(VolumePhase.Pending, VolumePhase.Downloading, VolumePhase.Populating);

            HttpResponse<String> done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> post(quick, operatorTls, AgentHarness.TOKEN, body), answer -> {
                        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
                        return answer.statusCode() == 200;
                    });

            ProvisionStatus ready = AgentJson.MAPPER.readValue(done.body(), ProvisionStatus.class);
            assertThat(ready.imageSha256()).isEqualTo(quick.image().sha256());
            assertThat(quick.compareWithImage(Path.of(ready.path()))).as("qemu-img compare exit code").isZero();
        }
    }

    private HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(harness.agent().baseUri().resolve(path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + AgentHarness.TOKEN)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return operatorTls.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private VolumeStatus volumeStatus(String name) throws Exception {
        HttpResponse<String> answer = send("GET", AgentPaths.volume(name), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return AgentJson.MAPPER.readValue(answer.body(), VolumeStatus.class);
    }

    private static String volumeBody(String ownerUid) throws IOException {
        return AgentJson.MAPPER.writeValueAsString(new VolumeRequest(AgentHarness.IMAGE_URL, null,
                AgentHarness.VOLUME_SIZE, null, "t1", null, null, ownerUid));
    }

    private static String request(String volume, long sizeBytes) {
        return "{\"imageUrl\":\"" + PREFIX + "disk.raw\",\"format\":\"raw\",\"volume\":\"" + volume
                + "\",\"sizeBytes\":" + sizeBytes + "}";
    }

    /** The single-quoted {@code -d} argument of the curl example in docs/provision.md. */
    private static String documentedBody() throws IOException {
        String doc = Files.readString(Path.of("../../docs/provision.md"));
        Matcher body = Pattern.compile("-d '([^']+)'").matcher(doc);
        assertThat(body.find()).as("docs/provision.md has a curl -d example").isTrue();
        return body.group(1);
    }

    private static void writeSentinel(Path volume, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(volume.toFile(), "rw")) {
            file.seek(offset);
            file.write(SENTINEL);
            file.getFD().sync();
        }
    }
}
