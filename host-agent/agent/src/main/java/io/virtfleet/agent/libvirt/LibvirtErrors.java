package io.virtfleet.agent.libvirt;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Turns libvirt's errors into answers a person can act on. */
public final class LibvirtErrors {
    private static final Set<ErrorNumber> NOT_FOUND = Set.of(
            ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorNumber.VIR_ERR_NO_STORAGE_VOL,
            ErrorNumber.VIR_ERR_NO_NETWORK, ErrorNumber.VIR_ERR_NO_NWFILTER, ErrorNumber.VIR_ERR_NO_NODE_DEVICE);

    private LibvirtErrors() {
    }

    /** Whether libvirt said the object looked up does not exist (as opposed to failing to look). */
    public static boolean isNotFound(LibvirtException e) {
        return e.getError() != null && NOT_FOUND.contains(e.getError().getCode());
    }

    /** Runs a lookup; libvirt's "no such object" answer becomes empty, every other error is thrown. */
    public static <T> Optional<T> unlessNotFound(Lookup<T> lookup) throws LibvirtException {
        try {
            return Optional.of(lookup.find());
        } catch (LibvirtException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A libvirt lookup by name. */
    @FunctionalInterface
    public interface Lookup<T> {
        T find() throws LibvirtException;
    }

    /** The answer while libvirtd cannot be reached: 503, retry later; the agent is reconnecting. */
    public static AgentException unavailable(String operation, String uri, java.time.Instant downSince) {
        return new AgentException(Kind.UNAVAILABLE, AgentErrorReasons.LIBVIRT_UNAVAILABLE, operation
                + ": libvirtd at " + uri + " is unreachable" + (downSince == null ? "" : " since " + downSince)
                + "; the agent is reconnecting", null);
    }

    public static AgentException translate(String operation, LibvirtException e) {
        String detail = e.getError() != null && e.getError().getMessage() != null
                ? e.getError().getMessage() : String.valueOf(e.getMessage());
        ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        if (isNotFound(e)) {
            return new AgentException(Kind.NOT_FOUND, AgentErrorReasons.LIBVIRT_ERROR,
                    operation + ": not found: " + detail, e);
        }
        if (code == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
            return new AgentException(Kind.CONFLICT, AgentErrorReasons.INVALID_STATE,
                    operation + ": not possible in the current state: " + detail, e);
        }
        if (detail.toLowerCase(Locale.ROOT).contains("no space left")
                || detail.toLowerCase(Locale.ROOT).contains("insufficient free space")) {
            return new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_DISK_FULL,
                    operation + ": no space left on the host: " + detail, e);
        }
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.LIBVIRT_ERROR, operation + " failed: " + detail, e);
    }
}
