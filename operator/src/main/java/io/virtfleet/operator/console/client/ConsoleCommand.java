package io.virtfleet.operator.console.client;

import io.fabric8.kubernetes.client.Config;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code console} and {@code vnc} verbs of {@code kubectl virtfleet}:
 * <pre>
 * kubectl virtfleet console NAME [-n NAMESPACE]              through the API server of the current kubeconfig context
 * kubectl virtfleet vnc NAME [-n NAMESPACE] [--port 5900]    listens on 127.0.0.1:PORT for a VNC viewer
 *   --gateway https://host:port --ca FILE --token TOKEN      the console gateway directly (local stack)
 * </pre>
 * A plugin dispatcher calls {@link #run(String, List)} with the verb and the rest of the arguments.
 */
public final class ConsoleCommand {
    private ConsoleCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: console|vnc NAME [-n NAMESPACE] [--port P] [--gateway URL --ca FILE --token T]");
            System.exit(2);
        }
        System.exit(run(args[0], List.of(args).subList(1, args.length)));
    }

    /** @return the exit code */
    public static int run(String verb, List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        String namespace = null;
        String gateway = null;
        String ca = null;
        String token = null;
        int port = 5900;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-n", "--namespace" -> namespace = args.get(++i);
                case "--gateway" -> gateway = args.get(++i);
                case "--ca" -> ca = args.get(++i);
                case "--token" -> token = args.get(++i);
                case "--port" -> port = Integer.parseInt(args.get(++i));
                default -> positional.add(arg);
            }
        }
        if (positional.size() != 1) {
            System.err.println(verb + ": exactly one VirtualMachine name is needed");
            return 2;
        }
        Config kubeconfig = Config.autoConfigure(null);
        String ns = namespace != null ? namespace : kubeconfig.getNamespace() != null ? kubeconfig.getNamespace() : "default";
        ConsoleEndpoint endpoint = gateway != null
                ? ConsoleEndpoint.gateway(URI.create(gateway), Path.of(ca), token)
                : ConsoleEndpoint.fromKubeconfig(kubeconfig);
        String name = positional.get(0);
        return switch (verb) {
            case "console" -> {
                System.err.println("connected to " + ns + "/" + name + " (end with Ctrl-D)");
                System.err.println("console closed: " + ConsoleSession.run(endpoint, ns, name, System.in, System.out));
                yield 0;
            }
            case "vnc" -> {
                try (VncForwarder forwarder = VncForwarder.listen(endpoint, ns, name, port)) {
                    System.err.println("VNC of " + ns + "/" + name + " on 127.0.0.1:" + forwarder.port()
                            + " - point a VNC viewer there (Ctrl-C ends)");
                    forwarder.serve();
                }
                yield 0;
            }
            default -> {
                System.err.println("unknown verb " + verb + " (console, vnc)");
                yield 2;
            }
        };
    }
}
