package io.virtfleet.helm.chart;

import static io.virtfleet.helm.chart.PodSpecs.container;
import static io.virtfleet.helm.chart.PodSpecs.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The consoles as the chart renders them: the APIService the API server proxies through (what no mock API can show),
 * its Service and serving certificate, the gateway's settings, the edit/admin grant of the two subresources, and the
 * NetworkPolicy opening only the console port.
 */
class ChartConsolesTest {
    private static final RenderedManifests RENDERED = ChartRender.defaults();

    @Test
    void theApiServiceRoutesTheSubresourceGroupToTheGatewayServiceWithItsCa() throws Exception {
        GenericKubernetesResource api = apiService(RENDERED).orElseThrow();
        assertThat(api.getMetadata().getName()).isEqualTo("v1alpha1.subresources.virtfleet.io");
        assertThat(api.get("spec", "group").toString()).isEqualTo("subresources.virtfleet.io");
        assertThat(api.get("spec", "version").toString()).isEqualTo("v1alpha1");
        assertThat(api.get("spec", "service", "name").toString()).isEqualTo("vf-virtfleet-consoles");
        assertThat(api.get("spec", "service", "namespace").toString()).isEqualTo(ChartRender.NAMESPACE);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) api.get("spec");
        assertThat(spec).doesNotContainKey("insecureSkipTLSVerify");

        Secret tls = RENDERED.one(Secret.class, "vf-virtfleet-console-tls");
        assertThat(api.get("spec", "caBundle").toString()).isEqualTo(tls.getData().get("ca.crt"));
        X509Certificate serving = certificate(tls.getData().get("tls.crt"));
        assertThat(serving.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .contains("vf-virtfleet-consoles.virtfleet-system.svc");
        serving.verify(certificate(tls.getData().get("ca.crt")).getPublicKey());

        Service service = RENDERED.one(Service.class, "vf-virtfleet-consoles");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(443);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("consoles");
        });
    }

    @Test
    void theOperatorRunsTheGatewayWithFrontProxyTrust() {
        Container operator = operator(RENDERED);
        assertThat(env(operator, "VIRTFLEET_CONSOLE_TLS_DIR").getValue()).isEqualTo("/etc/virtfleet/console-tls");
        assertThat(env(operator, "VIRTFLEET_CONSOLE_FRONT_PROXY").getValue()).isEqualTo("true");
        assertThat(operator.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("consoles");
            assertThat(port.getContainerPort()).isEqualTo(8443);
        });
    }

    @Test
    void editAndAdminMayOpenConsolesViewMayNot() {
        String rule = "subresources.virtfleet.io|virtualmachines/console,virtualmachines/vnc|get";
        assertThat(rules(RENDERED.one(ClusterRole.class, "vf-virtfleet-edit"))).contains(rule);
        assertThat(rules(RENDERED.one(ClusterRole.class, "vf-virtfleet-view"))).doesNotContain(rule);
    }

    @Test
    void withCertManagerTheCaIsInjectedAndNoSecretIsMade() {
        RenderedManifests rendered = ChartRender.with(Map.of("tls.certManager.enabled", true));
        GenericKubernetesResource api = apiService(rendered).orElseThrow();
        assertThat(api.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", ChartRender.NAMESPACE + "/vf-virtfleet-console-tls");
        assertThat(rendered.generic("Certificate")).anySatisfy(certificate -> {
            assertThat(certificate.getMetadata().getName()).isEqualTo("vf-virtfleet-console-tls");
            assertThat((List<Object>) certificate.get("spec", "dnsNames"))
                    .contains("vf-virtfleet-consoles.virtfleet-system.svc");
        });
        assertThat(rendered.all(Secret.class)).isEmpty();
    }

    @Test
    void theNetworkPolicyOpensTheConsolePortAndNothingElseToEveryone() {
        NetworkPolicy operator = ChartRender.with(Map.of("networkPolicy.enabled", true))
                .one(NetworkPolicy.class, "vf-virtfleet-operator");
        assertThat(operator.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).isEmpty();
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getStrVal()).containsExactly("consoles");
        });
    }

    @Test
    void consolesOffRenderNoneOfIt() {
        RenderedManifests off = ChartRender.with(Map.of("operator.consoles.enabled", false));
        assertThat(apiService(off)).isEmpty();
        assertThat(off.all(Service.class)).noneMatch(s -> s.getMetadata().getName().endsWith("consoles"));
        assertThat(operator(off).getEnv()).noneMatch(e -> e.getName().startsWith("VIRTFLEET_CONSOLE"));
    }

    /** The APIService as a generic object (Fabric8 parses it into its own model class). */
    private static java.util.Optional<GenericKubernetesResource> apiService(RenderedManifests rendered) {
        return rendered.objects().stream().filter(o -> "APIService".equals(o.getKind())).findFirst()
                .map(o -> Serialization.unmarshal(Serialization.asYaml(o), GenericKubernetesResource.class));
    }

    private static Container operator(RenderedManifests rendered) {
        return container(rendered.one(Deployment.class, "vf-virtfleet-operator").getSpec().getTemplate().getSpec(), "operator");
    }

    private static List<String> rules(ClusterRole role) {
        return role.getRules().stream().map(r -> String.join(",", r.getApiGroups()) + "|"
                + String.join(",", r.getResources()) + "|" + String.join(",", r.getVerbs())).toList();
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}
