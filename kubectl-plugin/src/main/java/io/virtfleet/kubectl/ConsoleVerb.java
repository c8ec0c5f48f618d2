package io.virtfleet.kubectl;

import io.virtfleet.operator.console.client.ConsoleCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * console NAME and vnc NAME: a stream to the VM's serial console or VNC through the console gateway
 * ({@link ConsoleCommand}, docs/consoles.md), authorized by the API server for {@code virtualmachines/console} or
 * {@code /vnc}; nothing is patched.
 */
public final class ConsoleVerb implements Verb {
    private final Usage usage;

    private ConsoleVerb(Usage usage) {
        this.usage = usage;
    }

    static ConsoleVerb console() {
        return new ConsoleVerb(new Usage("console", "NAME [--gateway URL --ca FILE --token TOKEN]",
                "the VM's serial console on this terminal (Ctrl-D ends)"));
    }

    static ConsoleVerb vnc() {
        return new ConsoleVerb(new Usage("vnc", "NAME [--port 5900] [--gateway URL --ca FILE --token TOKEN]",
                "the VM's VNC on 127.0.0.1:PORT for a local viewer"));
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public List<String> flagsWithValue() {
        return List.of("--gateway", "--ca", "--token", "--port");
    }

    @Override
    public int run(Session session, List<String> args) throws CliException {
        List<String> withNamespace = new ArrayList<>(args);
        withNamespace.addAll(List.of("-n", session.namespace()));
        try {
            return ConsoleCommand.run(usage.name(), withNamespace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, usage.name() + " interrupted");
        } catch (Exception e) {
            throw new CliException(CliException.FAILED, usage.name() + " failed: " + e.getMessage());
        }
    }
}
