package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dev/local}: starts the local stack, applies the quickstart, shows progress until the VM runs, then serves
 * until Ctrl-C ({@code --once}: exits 0 as soon as the VM runs, non-zero with the reason when it cannot). On the way
 * out the quickstart objects are deleted, so the operator removes the domain and the volume.
 */
public final class LocalStackMain {
    private static final Duration ONCE_DEADLINE = Duration.ofMinutes(5);
    /** Enough for the operator to shut the quickstart guest down (the agent destroys it after 5 s) and remove it. */
    private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(15);

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean once = List.of(args).contains("--once");
        Path repo = Path.of(System.getProperty("virtfleet.repo", ".")).toAbsolutePath().normalize();
        Path work = repo.resolve(".local");
        var options = new LocalStack.Options(work.resolve("stack"),
                System.getProperty("virtfleet.libvirtUri", "qemu:///system"),
                System.getProperty("virtfleet.domainType", "qemu"), poolName(work));
        try (LocalStack stack = LocalStack.start(options)) {
            Path kubeconfig = stack.kubernetes().writeKubeconfig(work.resolve("kubeconfig"));
            say("local stack up: Kubernetes API (Fabric8 mock server) " + stack.kubernetes().url()
                    + ", S3 (S3Proxy) " + stack.s3().endpoint() + ", agent " + stack.agent().baseUri());
            say("kubectl: kubectl --kubeconfig " + kubeconfig + " get vfvm,vfrv");
            // kubectl passes no global flags to plugins: the plugin reads KUBECONFIG (or takes --kubeconfig itself).
            say("kubectl plugin (built by this run): PATH=" + repo.resolve("kubectl-plugin/bin") + ":$PATH KUBECONFIG="
                    + kubeconfig + " kubectl virtfleet status quickstart   (or pause|unpause|restart|stop|start)");
            // Stand-in reviews (the mock API cannot authenticate or authorize): the kubeconfig's token is
            // local-admin, who may open consoles in the default namespace.
            stack.kubernetes().reviews().token(MockKubernetesApi.TOKEN, "local-admin", List.of("system:authenticated"))
                    .allow("local-admin", LocalStack.NAMESPACE, "console").allow("local-admin", LocalStack.NAMESPACE, "vnc");
            say("consoles: kubectl virtfleet console quickstart (or vnc)"
                    + " --gateway " + stack.consoleGateway() + " --ca " + stack.consoleCa() + " --token "
                    + MockKubernetesApi.TOKEN + "   (straight to the console gateway with a bearer token: the mock API"
                    + " has no aggregation layer; reviews answered by a stand-in table)");
            Path manifest = repo.resolve("examples/quickstart.yaml");
            List<HasMetadata> applied = stack.apply(manifest);
            say("applied " + repo.relativize(manifest) + ": " + applied.size() + " objects");
            Optional<String> failure = followUntilRunning(stack.kubernetes().client(), once);
            if (failure.isPresent()) {
                say("FAILED: " + failure.get());
                cleanUp(stack, applied);
                System.exit(1);
            }
            say("quickstart VM is Running");
            showWithKubectl(kubeconfig);
            if (!once) {
                say("serving; press Ctrl-C to stop (the quickstart VM is removed on the way out)");
                // The hook does all the stopping, each part bounded, so Ctrl-C always ends; the JVM halts after it.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    cleanUp(stack, applied);
                    closeWithin(stack, CLOSE_DEADLINE);
                }));
                new CountDownLatch(1).await();
            }
            cleanUp(stack, applied);
        }
    }

    /** Prints each change of phase or Ready reason; empty once the VM runs, the reason when it cannot. */
    private static Optional<String> followUntilRunning(KubernetesClient client, boolean once)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(ONCE_DEADLINE);
        Map<String, String> lastSeen = new HashMap<>();
        while (!once || Instant.now().isBefore(deadline)) {
            RootVolume volume = client.resources(RootVolume.class).inNamespace(LocalStack.NAMESPACE)
                    .withName("quickstart-root").get();
            VirtualMachine vm = client.resources(VirtualMachine.class).inNamespace(LocalStack.NAMESPACE)
                    .withName("quickstart").get();
            report(lastSeen, "RootVolume/quickstart-root", volume == null || volume.getStatus() == null ? null
                    : volume.getStatus().getPhase(), volume == null ? null : volume.getStatus());
            report(lastSeen, "VirtualMachine/quickstart", vm == null || vm.getStatus() == null ? null
                    : vm.getStatus().getPhase(), vm == null ? null : vm.getStatus());
            if (vm != null && vm.getStatus() != null && vm.getStatus().getPhase() == VirtualMachinePhase.Running) {
                return Optional.empty();
            }
            if (vm != null && vm.getStatus() != null && vm.getStatus().getPhase() == VirtualMachinePhase.Failed) {
                return Optional.of("VirtualMachine quickstart failed: " + readyMessage(vm.getStatus()));
            }
            Thread.sleep(250); // a person watching, not a test: a short poll keeps the output current
        }
        return Optional.of("the quickstart VM did not reach Running within " + ONCE_DEADLINE.toMinutes()
                + " minutes; last state: " + lastSeen);
    }

    private static void report(Map<String, String> lastSeen, String what, Object phase, ConditionedStatus status) {
        String line = phase == null ? "waiting for the operator" : phase + " (" + readyMessage(status) + ")";
        if (!Objects.equals(lastSeen.put(what, line), line)) {
            say(what + ": " + line);
        }
    }

    private static String readyMessage(ConditionedStatus status) {
        return Conditions.find(status, ConditionType.Ready).map(LocalStackMain::describe).orElse("not reconciled yet");
    }

    private static String describe(Condition condition) {
        return condition.getReason() + ": " + condition.getMessage();
    }

    /**
     * libvirt pools are host-wide; one per checkout keeps two clones from sharing (and deleting from) one pool.
     */
    static String poolName(Path work) {
        return "virtfleet-local-" + Integer.toHexString(work.toString().hashCode());
    }

    /**
     * Shows what a person would see with kubectl, when it is installed. The mock API server does not render
     * server-side tables, so the columns are asked for explicitly.
     */
    private static void showWithKubectl(Path kubeconfig) throws InterruptedException {
        List<String> command = List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "vfvm,vfrv",
                "-o", "custom-columns=KIND:.kind,NAME:.metadata.name,NODE:.status.nodeName,PHASE:.status.phase,"
                        + "READY:.status.conditions[?(@.type==\"Ready\")].status");
        say("$ " + String.join(" ", command));
        try {
            Process kubectl = new ProcessBuilder(command).inheritIO().start();
            if (kubectl.waitFor() != 0) {
                say("kubectl exited with " + kubectl.exitValue());
            }
        } catch (java.io.IOException e) {
            say("kubectl is not installed; skipped");
        }
    }

    /**
     * Deletes what was applied and waits, at most {@link #CLEANUP_DEADLINE}, for the operator's finalizers to clean
     * the host; what is still there then is named with the reason its deletion waits, and stays on the host.
     */
    private static void cleanUp(LocalStack stack, List<HasMetadata> applied) {
        KubernetesClient client = stack.kubernetes().client();
        applied.reversed().forEach(object -> client.resource(object).delete());
        Instant deadline = Instant.now().plus(CLEANUP_DEADLINE);
        while (Instant.now().isBefore(deadline)
                && applied.stream().anyMatch(object -> client.resource(object).get() != null)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<String> left = applied.stream().filter(object -> client.resource(object).get() != null)
                .map(object -> whyStillThere(client, object)).toList();
        if (left.isEmpty()) {
            say("quickstart objects deleted; domain and volume removed from the host");
            return;
        }
        say("stopping without a finished cleanup after " + CLEANUP_DEADLINE.toSeconds() + " s; the host keeps what "
                + "these objects own (libvirt domain default.quickstart, volume default.quickstart-root in pool "
                + stack.agent().poolName() + "; docs/troubleshooting.md says how to remove them by hand):");
        left.forEach(line -> say("  " + line));
    }

    /** The object's DeletionBlocked condition, read through its own type (the manifest's copy may be generic). */
    private static String whyStillThere(KubernetesClient client, HasMetadata object) {
        String name = object.getMetadata().getName();
        ConditionedStatus status = switch (object.getKind()) {
            case "VirtualMachine" -> Optional.ofNullable(client.resources(VirtualMachine.class)
                    .inNamespace(LocalStack.NAMESPACE).withName(name).get()).map(VirtualMachine::getStatus).orElse(null);
            case "RootVolume" -> Optional.ofNullable(client.resources(RootVolume.class)
                    .inNamespace(LocalStack.NAMESPACE).withName(name).get()).map(RootVolume::getStatus).orElse(null);
            default -> null;
        };
        return object.getKind() + "/" + name + ": " + Conditions.find(status, ConditionType.DeletionBlocked)
                .map(LocalStackMain::describe).orElse("its cleanup had not finished");
    }

    /** Closes the stack on another thread and stops waiting after {@code deadline}, so that exiting never hangs. */
    private static void closeWithin(LocalStack stack, Duration deadline) {
        Thread closing = Thread.ofPlatform().daemon().name("local-stack-close").start(stack::close);
        try {
            closing.join(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            say("the stack did not stop within " + deadline.toSeconds() + " s; exiting anyway");
        }
    }

    private static void say(String line) {
        System.out.println("[virtfleet] " + line);
    }
}
