package io.virtfleet.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.VirtualMachine;

import java.net.HttpURLConnection;
import java.util.Map;

/** Reads and merge-patches VirtualMachines in one namespace, with errors a person can act on. */
public final class VirtualMachines {
    private final KubernetesClient client;
    private final String namespace;

    VirtualMachines(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public VirtualMachine get(String name) throws CliException {
        VirtualMachine vm;
        try {
            vm = client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw failed("cannot read", name, e);
        }
        if (vm == null) {
            throw notFound(name);
        }
        return vm;
    }

    /** Applies {@code {"spec": specFields}} as a JSON merge patch (RFC 7386); a missing VM is an error, not created. */
    public VirtualMachine patchSpec(String name, Map<String, Object> specFields) throws CliException {
        String patch = Serialization.asJson(Map.of("spec", specFields));
        try {
            return client.resources(VirtualMachine.class).inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                throw notFound(name);
            }
            throw failed("cannot patch", name, e);
        }
    }

    private CliException notFound(String name) {
        return new CliException(CliException.FAILED,
                "virtualmachine \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }

    /** The API server's own message when it answered; else what kept the client from it, and which server it was. */
    private CliException failed(String what, String name, KubernetesClientException e) {
        String detail;
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            detail = e.getStatus().getMessage();
        } else {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            detail = (cause == e ? e.getMessage() : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()))
                    + " (API server " + client.getMasterUrl() + ")";
        }
        return new CliException(CliException.FAILED, what + " virtualmachine \"" + name + "\" in namespace \""
                + namespace + "\": " + detail);
    }
}
