package io.virtfleet.operator.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.agent.contract.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The gateway's TLS files when the kube-apiserver proxies to it (aggregation layer): its own serving certificate and
 * key, and as client CA the cluster's requestheader CA with the one proxy name it must present, both read from the
 * ConfigMap {@code kube-system/extension-apiserver-authentication} that every extension API server reads (RBAC: the
 * Role {@code extension-apiserver-authentication-reader}). Read at start; a rotated front-proxy CA needs a restart.
 */
public final class FrontProxyTrust {
    static final String NAMESPACE = "kube-system";
    static final String CONFIG_MAP = "extension-apiserver-authentication";
    static final String CA_KEY = "requestheader-client-ca-file";
    static final String NAMES_KEY = "requestheader-allowed-names";

    private FrontProxyTrust() {
    }

    /**
     * @param servingDir {@code tls.crt} and {@code tls.key} of the gateway
     * @param workDir    where the requestheader CA is written for the TLS layer
     */
    public static TlsFiles tlsFiles(KubernetesClient client, Path servingDir, Path workDir) throws IOException {
        ConfigMap authentication = client.configMaps().inNamespace(NAMESPACE).withName(CONFIG_MAP).get();
        if (authentication == null || authentication.getData() == null || authentication.getData().get(CA_KEY) == null) {
            throw new IllegalStateException("ConfigMap " + NAMESPACE + "/" + CONFIG_MAP + " has no " + CA_KEY
                    + ": the API server has no aggregation layer configured (--requestheader-client-ca-file)");
        }
        String proxyName = proxyName(authentication.getData().get(NAMES_KEY));
        Path ca = Files.createDirectories(workDir).resolve("requestheader-ca.crt");
        Files.writeString(ca, authentication.getData().get(CA_KEY));
        return new TlsFiles(servingDir.resolve("tls.crt"), servingDir.resolve("tls.key"), ca, proxyName);
    }

    /** The one allowed proxy name; none ("any certificate of that CA") or several are refused as too broad or unsupported. */
    static String proxyName(String allowedNamesJson) throws IOException {
        List<String> names = allowedNamesJson == null ? List.of()
                : new ObjectMapper().readValue(allowedNamesJson, new TypeReference<List<String>>() { });
        if (names.size() != 1) {
            throw new IllegalStateException(NAMES_KEY + " must name exactly one front proxy (e.g. [\"front-proxy-client\"]);"
                    + " found " + names + ". Without a name any certificate of the requestheader CA could claim any user.");
        }
        return names.get(0);
    }
}
