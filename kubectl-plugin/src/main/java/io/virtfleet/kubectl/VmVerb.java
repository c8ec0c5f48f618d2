package io.virtfleet.kubectl;

import java.util.List;

/** A verb on one VirtualMachine: {@code kubectl virtfleet VERB NAME}. */
public interface VmVerb extends Verb {
    @Override
    default int run(Session session, List<String> args) throws CliException {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            throw CliException.usage("usage: " + usage().line());
        }
        return run(session, args.get(0));
    }

    /** @param name the VirtualMachine's name, in the session's namespace */
    int run(Session session, String name) throws CliException;
}
