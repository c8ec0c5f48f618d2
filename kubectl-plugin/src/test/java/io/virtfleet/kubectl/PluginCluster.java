package io.virtfleet.kubectl;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.virtfleet.crds.v1alpha1.RootVolumeReference;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** The mock API (CRUD mode) with the generated VirtualMachine CRD, and the plugin run against it in-process. */
final class PluginCluster {
    private final KubernetesClient client;

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    PluginCluster(KubernetesClient client) {
        this.client = client;
        try (InputStream crd = getClass().getResourceAsStream("/META-INF/fabric8/virtualmachines.virtfleet.io-v1.yml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .createOr(existing -> existing.update());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    VirtualMachine createVm(String namespace, String name, RunStrategy strategy) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setVcpus(2);
        spec.setMemory(new Quantity("1Gi"));
        spec.setRootVolume(new RootVolumeReference(name + "-root"));
        spec.setRunStrategy(strategy);
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setName(name);
        vm.getMetadata().setNamespace(namespace);
        vm.setSpec(spec);
        return client.resource(vm).create();
    }

    VirtualMachine vm(String namespace, String name) {
        return client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
    }

    /** Runs the plugin as kubectl would, on a client of its own to the same server (the plugin closes it). */
    Result run(Clock clock, String... args) {
        KubectlVirtfleet cli = new KubectlVirtfleet(Verbs.standard(),
                flags -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build(), clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result run(String... args) {
        return run(Clock.systemUTC(), args);
    }
}
