package io.domainoperator.reconciler;

/** Why the engine tears a domain down. Shown in events and logs; some reasons count as a restart. */
public enum DestroyReason {
    /** The graceful shutdown timed out: forced poweroff. */
    FORCED(false),
    /** Paused with no vCPU time and no journaled creation of ours: creation never finished (xenopsd rule). */
    HALF_CREATED(false),
    /** The guest shut down after our request; the shell is removed (halt, or restart to apply config). */
    SHUTDOWN_COMPLETE(false),
    /** Halting a domain that never ran (created paused, never unpaused): nothing to shut down gracefully. */
    NEVER_STARTED(false),
    /** The guest crashed and {@code onCrash} is Restart. */
    CRASH_RESTART(true),
    /** The guest rebooted and {@code onReboot} is Restart. */
    REBOOT_RESTART(true),
    /** The guest powered off and {@code onPoweroff} is Restart. */
    POWEROFF_RESTART(true),
    /** The guest stopped and its policy is Destroy: tear down and stay halted until the spec changes. */
    POLICY_DESTROY(false),
    /** A preserved (or otherwise stopped) domain whose spec changed: rebuild it with the new spec. */
    SPEC_CHANGED(false),
    /** A stopped domain that is not wanted any more (halt requested, orphan). */
    STOPPED(false);

    private final boolean restart;

    DestroyReason(boolean restart) {
        this.restart = restart;
    }

    /** Counts in {@code status.restartCount}: the domain is destroyed in order to boot it again. */
    public boolean isRestart() {
        return restart;
    }
}
