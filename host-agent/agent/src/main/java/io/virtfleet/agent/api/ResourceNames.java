package io.virtfleet.agent.api;

import io.virtfleet.agent.AgentException;
import java.util.regex.Pattern;

/**
 * Names the API accepts. Volumes and domains: lower-case letters, digits, '.' and '-' (the operator sends
 * {@code <namespace>.<name>}, Kubernetes names), starting with a letter or digit: safe as a libvirt name, a file name
 * and a path segment. They never contain '_': the agent names what it creates for a domain with it (data disks
 * {@code <domain>_vdb}), so those names cannot collide with any name from the API. Pools are the host's own names and
 * may contain '_'. Owner UIDs (Kubernetes UIDs) are letters, digits and '-'.
 */
public final class ResourceNames {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,200}$");
    private static final Pattern POOL = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,200}$");
    private static final Pattern OWNER_UID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]{0,127}$");

    private ResourceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns the volume or domain name, or fails with 400 InvalidRequest saying which field was wrong. */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw AgentException.invalid(field + " '" + name + "' is not a valid name: use 1-201 characters of"
                    + " a-z, 0-9, '.' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Returns the pool name, or fails with 400 InvalidRequest. */
    public static String requirePool(String name) {
        if (name == null || !POOL.matcher(name).matches()) {
            throw AgentException.invalid("pool '" + name + "' is not a valid name: use 1-201 characters of"
                    + " a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Returns the owner UID (null stays null: no owner), or fails with 400 InvalidRequest. */
    public static String requireOwnerUid(String uid) {
        if (uid != null && !OWNER_UID.matcher(uid).matches()) {
            throw AgentException.invalid("ownerUid '" + uid + "' is not a valid UID: use 1-128 characters of"
                    + " A-Z, a-z, 0-9 and '-'");
        }
        return uid;
    }
}
