package io.virtfleet.kubectl;

/** A failure the user can act on: printed as {@code error: <message>}, exit code {@link #exitCode()}. */
public final class CliException extends Exception {
    /** The command line was wrong (unknown verb or flag, missing NAME). */
    public static final int USAGE = 2;
    /** The cluster refused or the VirtualMachine does not exist. */
    public static final int FAILED = 1;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message + " (see kubectl virtfleet help)");
    }
}
