package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Queue;

/**
 * The local stack's Kubernetes API: Fabric8's mock API server in CRUD mode (real HTTP, real watches; no schema or
 * CEL validation, no RBAC, no server-side apply). It is a stand-in, never a cluster. The generated CRDs are created
 * in it, and discovery documents are served so that kubectl can talk to it.
 */
public final class MockKubernetesApi implements AutoCloseable {
    static final List<String> CRD_FILES = List.of("rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml");

    /** Held so the setting survives: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    /** The token in the written kubeconfig (the mock API accepts any). */
    public static final String TOKEN = "local";
    private final StandInReviews reviews;

    private MockKubernetesApi(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
        this.reviews = new StandInReviews(server);
    }

    /** The stand-in answers to TokenReviews and SubjectAccessReviews (the console gateway's questions). */
    public StandInReviews reviews() {
        return reviews;
    }

    public static MockKubernetesApi start() {
        // The mixed dispatcher answers registered expectations (discovery) first and everything else in CRUD mode.
        var responses = new HashMap<ServerRequest, Queue<ServerResponse>>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        MockKubernetesApi api = new MockKubernetesApi(server);
        List<CustomResourceDefinition> crds = CRD_FILES.stream().map(MockKubernetesApi::loadCrd).toList();
        crds.forEach(crd -> api.client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        api.serveDiscovery(crds);
        return api;
    }

    /** The mock server logs every request at INFO through java.util.logging; that drowns everything else. */
    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    public String url() {
        return client.getMasterUrl().toString();
    }

    /** Writes a kubeconfig for kubectl (which must be run with --validate=false against this server). */
    public Path writeKubeconfig(Path file) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: virtfleet-local
                  cluster:
                    server: %s
                contexts:
                - name: virtfleet-local
                  context:
                    cluster: virtfleet-local
                    namespace: default
                    user: virtfleet-local
                current-context: virtfleet-local
                users:
                - name: virtfleet-local
                  user:
                    token: %s
                """.formatted(url().replaceAll("/$", ""), TOKEN);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CustomResourceDefinition loadCrd(String file) {
        try (InputStream in = MockKubernetesApi.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD " + file + " is not on the classpath");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl discovers resources before any call; the CRUD dispatcher does not answer discovery. */
    private void serveDiscovery(List<CustomResourceDefinition> crds) {
        serve("/api", new APIVersionsBuilder().withVersions("v1").build());
        serve("/api/v1", new APIResourceListBuilder()
                .withGroupVersion("v1")
                .addToResources(coreResource("namespaces", "Namespace", false))
                .addToResources(coreResource("events", "Event", true))
                .addToResources(coreResource("secrets", "Secret", true))
                .build());
        String group = crds.get(0).getSpec().getGroup();
        String version = crds.get(0).getSpec().getVersions().get(0).getName();
        var groupVersion = new GroupVersionForDiscoveryBuilder()
                .withGroupVersion(group + "/" + version).withVersion(version).build();
        serve("/apis", new APIGroupListBuilder()
                .addToGroups(new APIGroupBuilder().withName(group).withVersions(groupVersion)
                        .withPreferredVersion(groupVersion).build())
                .build());
        var resources = new APIResourceListBuilder().withGroupVersion(group + "/" + version);
        for (CustomResourceDefinition crd : crds) {
            var names = crd.getSpec().getNames();
            boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
            resources.addToResources(new APIResourceBuilder()
                    .withName(names.getPlural()).withSingularName(names.getSingular()).withKind(names.getKind())
                    .withShortNames(names.getShortNames()).withNamespaced(namespaced)
                    .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build());
            resources.addToResources(new APIResourceBuilder()
                    .withName(names.getPlural() + "/status").withKind(names.getKind()).withNamespaced(namespaced)
                    .withVerbs("get", "patch", "update").build());
        }
        serve("/apis/" + group + "/" + version, resources.build());
    }

    /** Expectations match the whole request path, query included; kubectl adds {@code ?timeout=32s}. */
    private void serve(String path, Object body) {
        for (String variant : List.of(path, path + "?timeout=32s")) {
            server.expect().get().withPath(variant).andReturn(200, body).always();
        }
    }

    private static io.fabric8.kubernetes.api.model.APIResource coreResource(String plural, String kind,
                                                                              boolean namespaced) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(namespaced)
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
