package io.virtfleet.kubectl;

import java.util.List;

/**
 * One {@code kubectl virtfleet} verb. Each verb that changes something does it as one JSON merge patch on the
 * VirtualMachine, the same change a person could make with {@code kubectl patch}: nothing goes around the API.
 */
public interface Verb {
    /** The word on the command line, e.g. {@code pause}. */
    String name();

    /** Its arguments after the verb, e.g. {@code NAME}. */
    String arguments();

    /** One line for {@code help}. */
    String summary();

    /**
     * @param args what followed the verb (global flags already removed)
     * @return the process's exit code
     */
    int run(Session session, List<String> args) throws CliException;
}
