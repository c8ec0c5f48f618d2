package io.virtfleet.kubectl;

import java.util.List;

/**
 * One {@code kubectl virtfleet} verb. Each verb that changes something does it as one JSON merge patch on the
 * VirtualMachine, the same change a person could make with {@code kubectl patch}: nothing goes around the API.
 */
public interface Verb {
    /** How the verb is called and what it does, for the dispatcher and {@code help}. */
    Usage usage();

    /**
     * @param args what followed the verb (global flags already removed)
     * @return the process's exit code
     */
    int run(Session session, List<String> args) throws CliException;

    /** Flags of this verb alone that take a value (e.g. {@code --port}); the dispatcher passes them on. */
    default List<String> flagsWithValue() {
        return List.of();
    }

    /**
     * @param name      the word on the command line, e.g. {@code pause}
     * @param arguments what follows it, e.g. {@code NAME} ("" for none)
     * @param summary   one line for {@code help}
     */
    record Usage(String name, String arguments, String summary) {
        String line() {
            return "kubectl virtfleet " + name + (arguments.isEmpty() ? "" : " " + arguments);
        }
    }
}
