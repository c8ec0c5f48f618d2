package io.virtfleet.kubectl;

import java.util.List;
import java.util.function.Supplier;

/** help: the verbs there are, and the flags every verb takes. */
public final class HelpVerb implements Verb {
    private final Supplier<List<Verb>> verbs;

    HelpVerb(Supplier<List<Verb>> verbs) {
        this.verbs = verbs;
    }

    @Override
    public Usage usage() {
        return new Usage("help", "", "this text");
    }

    @Override
    public int run(Session session, List<String> args) {
        var out = session.out();
        out.println("Operate VirtFleet VirtualMachines. Every change is a JSON merge patch on the VirtualMachine's spec;");
        out.println("the operator carries it out and reports in status (kubectl get vfvm, kubectl describe vfvm NAME).");
        out.println();
        out.println("Usage: kubectl virtfleet VERB [flags] [NAME]");
        out.println();
        for (Verb verb : verbs.get()) {
            Usage usage = verb.usage();
            out.printf("  %-22s %s%n", usage.name() + (usage.arguments().isEmpty() ? "" : " " + usage.arguments()),
                    usage.summary());
        }
        out.println();
        out.println("Flags: -n, --namespace NS   --context NAME   --kubeconfig FILE");
        out.println("The cluster comes from KUBECONFIG (or ~/.kube/config) and its current context, as for kubectl.");
        return 0;
    }
}
