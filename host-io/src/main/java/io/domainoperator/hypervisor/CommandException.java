package io.domainoperator.hypervisor;

import java.util.List;

/** A command failed to start, timed out, or exited non-zero. The message has the command line and stderr. */
public class CommandException extends RuntimeException {
    private final List<String> argv;
    private final int exitCode;
    private final String stderr;

    public CommandException(List<String> argv, int exitCode, String stderr, String what, Throwable cause) {
        super("`" + String.join(" ", argv) + "` " + what + (stderr == null || stderr.isBlank() ? "" : ": " + stderr.strip()), cause);
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    public List<String> argv() {
        return argv;
    }

    /** The exit code, or -1 when the command did not exit on its own (timeout, failed to start). */
    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }
}
