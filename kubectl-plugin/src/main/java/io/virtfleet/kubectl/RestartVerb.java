package io.virtfleet.kubectl;

import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * restart: sets {@code spec.restartToken} to the current time (RFC 3339, nanoseconds); the operator restarts the VM
 * once per new token and records it in {@code status.observedRestartToken}.
 */
public final class RestartVerb implements VmVerb {
    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private static final Usage USAGE = new Usage("restart", "NAME",
            "restart once: graceful shutdown, then start (sets spec.restartToken)");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(Session session, String name) throws CliException {
        VirtualMachines vms = session.virtualMachines();
        VirtualMachine vm = vms.get(name);
        String token = newToken(session.clock().instant(), vm.getSpec() == null ? null : vm.getSpec().getRestartToken());
        vms.patchSpec(name, Map.of("restartToken", token));
        session.out().println("virtualmachine.virtfleet.io/" + name + " patched (spec.restartToken=" + token + ")");
        RunStrategy strategy = vm.getSpec() == null ? null : vm.getSpec().getRunStrategy();
        if (strategy == RunStrategy.Halted || strategy == RunStrategy.Manual) {
            session.err().println("note: runStrategy is " + strategy + ": the operator records the token and "
                    + "restarts nothing");
        }
        return 0;
    }

    /** The time as a token; a nanosecond later when a clock too coarse would repeat the current one. */
    static String newToken(Instant now, String current) {
        String token = RFC3339_NANOS.format(now);
        return token.equals(current) ? RFC3339_NANOS.format(now.plusNanos(1)) : token;
    }
}
