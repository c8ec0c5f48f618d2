package io.virtfleet.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code kubectl virtfleet VERB [flags] [NAME]}: finds the verb, takes the global flags (namespace, context,
 * kubeconfig) from anywhere on the line, connects the way kubectl does (KUBECONFIG or ~/.kube/config, the current
 * context and its namespace) and runs the verb. Exit codes: 0 done, 1 the cluster refused or the VM does not exist,
 * 2 a wrong command line.
 */
public final class KubectlVirtfleet {
    private final Verbs verbs;
    private final Function<Flags, KubernetesClient> connect;
    private final Clock clock;

    /** The flags every verb takes; null when not given. */
    public record Flags(String namespace, String context, String kubeconfig) {
    }

    public KubectlVirtfleet(Verbs verbs, Function<Flags, KubernetesClient> connect, Clock clock) {
        this.verbs = verbs;
        this.connect = connect;
        this.clock = clock;
    }

    public static void main(String[] args) {
        KubectlVirtfleet cli = new KubectlVirtfleet(Verbs.standard(), KubectlVirtfleet::kubeconfigClient,
                Clock.systemUTC());
        System.exit(cli.run(List.of(args), System.out, System.err));
    }

    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        try {
            Flags flags = parse(args, rest, verbs.all().stream().flatMap(v -> v.flagsWithValue().stream()).toList());
            String verbName = rest.isEmpty() ? "help" : rest.remove(0);
            Verb verb = verbs.find(verbName)
                    .orElseThrow(() -> CliException.usage("unknown verb \"" + verbName + "\""));
            try (Session session = new Session(connect, flags, out, err, clock)) {
                return verb.run(session, rest);
            }
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            // The client's own failures (no kubeconfig, server unreachable): one line, not a stack trace.
            err.println("error: " + e.getMessage());
            return CliException.FAILED;
        }
    }

    /** @param verbFlags flags some verb takes with a value: passed on to the verb, with their value */
    private static Flags parse(List<String> args, List<String> rest, List<String> verbFlags) throws CliException {
        String namespace = null;
        String context = null;
        String kubeconfig = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean known = List.of("-n", "--namespace", "--context", "--kubeconfig").contains(flag);
            if (verbFlags.contains(flag)) {
                rest.add(arg);
                if (!arg.contains("=") && i + 1 < args.size()) {
                    rest.add(args.get(++i));
                }
                continue;
            }
            if (!known) {
                if (arg.startsWith("-") && !arg.equals("-h") && !arg.equals("--help")) {
                    throw CliException.usage("unknown flag " + arg);
                }
                rest.add(arg.equals("-h") || arg.equals("--help") ? "help" : arg);
                continue;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw CliException.usage(flag + " needs a value");
            }
            switch (flag) {
                case "-n", "--namespace" -> namespace = value;
                case "--context" -> context = value;
                default -> kubeconfig = value;
            }
        }
        return new Flags(namespace, context, kubeconfig);
    }

    /** As kubectl: the file from --kubeconfig, else KUBECONFIG, else ~/.kube/config; the context's namespace. */
    static KubernetesClient kubeconfigClient(Flags flags) {
        if (flags.kubeconfig() != null) {
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, flags.kubeconfig());
        }
        Config config = Config.autoConfigure(flags.context());
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
