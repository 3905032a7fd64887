package io.domainoperator.hypervisor;

import java.time.Duration;
import java.util.List;

/**
 * The one seam through which external commands ({@code xl}, {@code modprobe}, {@code qemu-img}, ...) run, so
 * that argv is unit-testable and every failure carries the command, its exit code and its stderr.
 */
public interface CommandRunner {

    /**
     * Runs argv and waits at most timeout.
     *
     * @return the result of a command that exited 0
     * @throws CommandException on a non-zero exit, a timeout (the process is killed) or a failure to start
     */
    CommandResult run(List<String> argv, Duration timeout) throws CommandException;

    /** Runs argv; a non-zero exit is returned, not thrown. Timeouts and start failures still throw. */
    CommandResult runAllowingFailure(List<String> argv, Duration timeout) throws CommandException;
}
