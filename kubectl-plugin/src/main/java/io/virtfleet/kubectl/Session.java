package io.virtfleet.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a verb works with: the cluster (connected on first use, so that {@code help} needs no kubeconfig), the
 * namespace (the flag, else the context's, else {@code default}), where to print, and the clock restart tokens come
 * from.
 */
public final class Session implements AutoCloseable {
    private final Function<KubectlVirtfleet.Flags, KubernetesClient> connect;
    private final KubectlVirtfleet.Flags flags;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private KubernetesClient client;

    Session(Function<KubectlVirtfleet.Flags, KubernetesClient> connect, KubectlVirtfleet.Flags flags,
            PrintStream out, PrintStream err, Clock clock) {
        this.connect = connect;
        this.flags = flags;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public KubernetesClient client() {
        if (client == null) {
            client = connect.apply(flags);
        }
        return client;
    }

    public String namespace() {
        return flags.namespace() != null ? flags.namespace()
                : Optional.ofNullable(client().getNamespace()).orElse("default");
    }

    public VirtualMachines virtualMachines() {
        return new VirtualMachines(client(), namespace());
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Clock clock() {
        return clock;
    }

    /** Closes the client this session connected, if it connected one. */
    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
