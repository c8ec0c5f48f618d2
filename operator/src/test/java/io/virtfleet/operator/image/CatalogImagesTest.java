package io.virtfleet.operator.image;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.virtfleet.crds.v1alpha1.ImageFormat;
import io.virtfleet.crds.v1alpha1.ImageSource;
import io.virtfleet.crds.v1alpha1.VirtualMachineImage;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.virtfleet.operator.policy.TenantPolicies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** spec.image.catalog resolved through informers (mock API in CRUD mode): by name, for selected namespaces only. */
@EnableKubernetesMockClient(crud = true)
class CatalogImagesTest {
    private static final String SHA = "ab".repeat(32);

    KubernetesClient client;
    private TenantPolicies policies;
    private CatalogImages catalog;
    private final List<String> woken = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        for (String team : List.of("a", "b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-" + team)
                    .withLabels(Map.of("team", team)).endMetadata().build()).create();
        }
        policies = new TenantPolicies(client);
        catalog = new CatalogImages(client, policies, "virtfleet-system");
        catalog.onChange(woken::add);
    }

    @AfterEach
    void stop() {
        catalog.close();
        policies.close();
    }

    @Test
    void aSelectedNamespaceGetsThePlatformsUrlDigestFormatAndCredentials() {
        client.resource(image("debian-12", Map.of("team", "a"))).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("debian-12"));

        CatalogImages.Resolution resolution = catalog.resolve("team-a", ImageSource.catalog("debian-12"), "spec.image");

        assertThat(resolution.problem()).isEmpty();
        CatalogImages.Resolved resolved = resolution.image().orElseThrow();
        assertThat(resolved.catalog()).isEqualTo("debian-12");
        assertThat(resolved.source().getUrl()).isEqualTo("s3://platform-images/debian-12.qcow2");
        assertThat(resolved.source().getSha256()).isEqualTo(SHA);
        assertThat(resolved.source().getFormat()).isEqualTo(ImageFormat.QCOW2);
        assertThat(resolved.source().getCredentialsSecret()).isEqualTo("platform-s3");
        assertThat(resolved.credentialsNamespace()).as("the platform's Secret, never the tenant's")
                .isEqualTo("virtfleet-system");
        assertThat(resolved.knownSha256()).as("for placement").isEqualTo(SHA);
    }

    @Test
    void aNamespaceTheImageDoesNotSelectIsRefusedWithImageNotAllowed() {
        client.resource(image("debian-12", Map.of("team", "a"))).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("debian-12"));

        CatalogImages.Resolution resolution = catalog.resolve("team-b", ImageSource.catalog("debian-12"), "spec.image");

        assertThat(resolution.image()).isEmpty();
        assertThat(resolution.problem().orElseThrow().reason()).isEqualTo(CatalogImages.IMAGE_NOT_ALLOWED);
        assertThat(resolution.problem().orElseThrow().message()).contains("spec.image.catalog 'debian-12'", "team-b")
                .doesNotContain("platform-images", "platform-s3");
        assertThat(catalog.refusal("team-b", ImageSource.catalog("debian-12"), "spec.rootVolume.template.image"))
                .as("the gate refuses a VM before placement").get()
                .satisfies(p -> assertThat(p.message()).contains("spec.rootVolume.template.image.catalog"));
        assertThat(catalog.refusal("team-a", ImageSource.catalog("debian-12"), "spec.image")).isEmpty();
        assertThat(catalog.refusal("team-a", ImageSource.catalog("absent"), "spec.image"))
                .as("a missing image is waited for, not refused").isEmpty();
    }

    @Test
    void aMissingImageIsImageNotFoundUntilItAppears() {
        CatalogImages.Resolution missing = catalog.resolve("team-a", ImageSource.catalog("later"), "spec.image");
        assertThat(missing.problem().orElseThrow().reason()).isEqualTo(CatalogImages.IMAGE_NOT_FOUND);
        for (String climbing : List.of("../debian-12", "debian-12/..", "..")) {
            assertThat(catalog.resolve("team-a", ImageSource.catalog(climbing), "spec.image").problem().orElseThrow()
                    .reason()).as(climbing).isEqualTo(CatalogImages.IMAGE_NOT_FOUND);
        }

        client.resource(image("later", Map.of())).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("later"));
        assertThat(catalog.resolve("team-b", ImageSource.catalog("later"), "spec.image").image())
                .as("{} selects every namespace").isPresent();
    }

    @Test
    void aUrlImagePassesThroughInItsOwnNamespace() {
        ImageSource url = new ImageSource("https://images.example/a.qcow2", null);
        url.setCredentialsSecret("mine");

        CatalogImages.Resolved resolved = catalog.resolve("team-b", url, "spec.image").image().orElseThrow();

        assertThat(resolved.source()).isSameAs(url);
        assertThat(resolved.credentialsNamespace()).isEqualTo("team-b");
        assertThat(resolved.catalog()).isNull();
    }

    private static VirtualMachineImage image(String name, Map<String, String> namespaceLabels) {
        VirtualMachineImage image = new VirtualMachineImage();
        image.getMetadata().setName(name);
        VirtualMachineImageSpec spec = new VirtualMachineImageSpec();
        spec.setUrl("s3://platform-images/" + name + ".qcow2");
        spec.setSha256(SHA);
        spec.setFormat(ImageFormat.QCOW2);
        spec.setCredentialsSecret("platform-s3");
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(namespaceLabels);
        spec.setNamespaceSelector(selector);
        image.setSpec(spec);
        return image;
    }
}
