package io.virtfleet.agent.api;

import io.virtfleet.agent.AgentException;
import java.util.regex.Pattern;

/**
 * Names of volumes, domains and pools. Lower-case letters, digits, '.', '_' and '-' (the operator sends
 * {@code <namespace>.<name>}), starting with a letter or digit: safe as a libvirt name, a file name and a path segment.
 */
public final class ResourceNames {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,200}$");

    private ResourceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns the name, or fails with 400 InvalidRequest saying which field was wrong. */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw AgentException.invalid(field + " '" + name + "' is not a valid name: use 1-201 characters of"
                    + " a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }
}
