package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;

/**
 * Translates what QEMU reports into the port's Xen-style {@link DomainState}.
 *
 * <p>QEMU runs with {@code -action shutdown=pause,panic=pause} ({@link GuestStopActions}): a guest poweroff, a
 * panic, and a reboot when onReboot is not Restart stop the vCPUs but keep the process, like a Xen domain whose
 * shell remains with a shutdown code. The run state says that it stopped ({@code shutdown},
 * {@code guest-panicked}); only the SHUTDOWN event says why (poweroff or reboot), so the backend records the
 * event's reason (or reads it from {@link QemuEventLog}) and passes it in here.
 */
final class QemuStates {
    private QemuStates() {
    }

    /**
     * @param status          {@code query-status}'s status, e.g. running, paused, prelaunch, shutdown
     * @param shutdownReason  the reason of the last SHUTDOWN event, NONE when none was seen
     */
    static DomainState toDomainState(String status, ShutdownReason shutdownReason) {
        return switch (status) {
            case "running" -> DomainState.RUNNING;
            // The event was missed (the agent was away when the guest stopped): POWEROFF is the likely case,
            // and the reconciler's onPoweroff policy is the conservative choice.
            case "shutdown" -> DomainState.shutdown(shutdownReason == ShutdownReason.NONE ? ShutdownReason.POWEROFF
                : shutdownReason);
            case "guest-panicked", "internal-error" -> DomainState.shutdown(ShutdownReason.CRASH);
            case "watchdog" -> DomainState.shutdown(ShutdownReason.WATCHDOG);
            case "suspended" -> DomainState.shutdown(ShutdownReason.SUSPEND);
            // prelaunch (created with -S, never started), paused (stop), io-error (stopped on a disk error),
            // and the migration/snapshot states: vCPUs do not run and the domain can be resumed.
            default -> DomainState.PAUSED;
        };
    }

    /**
     * The reason of a SHUTDOWN event ({@code data.reason}, QEMU's ShutdownCause). A guest reboot arrives
     * here too: {@code reboot=shutdown} turns it into a shutdown with reason guest-reset.
     */
    static ShutdownReason fromShutdownCause(String cause) {
        return switch (cause == null ? "" : cause) {
            case "guest-shutdown", "host-ui", "host-signal", "host-qmp-quit" -> ShutdownReason.POWEROFF;
            case "guest-reset", "host-qmp-system-reset", "subsystem-reset" -> ShutdownReason.REBOOT;
            case "guest-panic", "host-error" -> ShutdownReason.CRASH;
            default -> ShutdownReason.POWEROFF;
        };
    }
}
