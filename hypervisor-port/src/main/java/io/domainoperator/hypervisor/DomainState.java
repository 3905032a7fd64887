package io.domainoperator.hypervisor;

/**
 * Xen's domain state flags ({@code xl list}'s r, b, p, s, c, d), which can combine (paused and blocked),
 * plus the shutdown reason when the domain has shut down.
 */
public record DomainState(boolean running, boolean blocked, boolean paused, boolean shutdown, boolean crashed,
                          boolean dying, ShutdownReason shutdownReason) {

    public static final DomainState RUNNING = new DomainState(true, false, false, false, false, false, ShutdownReason.NONE);
    public static final DomainState BLOCKED = new DomainState(false, true, false, false, false, false, ShutdownReason.NONE);
    public static final DomainState PAUSED = new DomainState(false, false, true, false, false, false, ShutdownReason.NONE);
    public static final DomainState CRASHED = new DomainState(false, false, false, false, true, false, ShutdownReason.CRASH);
    public static final DomainState DYING = new DomainState(false, false, false, false, false, true, ShutdownReason.NONE);

    public DomainState {
        if (shutdownReason == null) {
            shutdownReason = ShutdownReason.NONE;
        }
    }

    public static DomainState shutdown(ShutdownReason reason) {
        return new DomainState(false, false, false, true, reason == ShutdownReason.CRASH, false, reason);
    }

    /** The guest is alive: running or blocked waiting for an event, and not paused or going away. */
    public boolean isAlive() {
        return (running || blocked) && !paused && !shutdown && !crashed && !dying;
    }

    /** The guest stopped on its own (poweroff, reboot, crash, suspend) and the domain shell remains. */
    public boolean hasStopped() {
        return shutdown || crashed;
    }

    /** xl's six-character flag column, e.g. {@code r-----} or {@code --p---}. */
    public String flags() {
        return (running ? "r" : "-") + (blocked ? "b" : "-") + (paused ? "p" : "-") + (shutdown ? "s" : "-")
            + (crashed ? "c" : "-") + (dying ? "d" : "-");
    }

    @Override
    public String toString() {
        return shutdownReason == ShutdownReason.NONE ? flags() : flags() + "(" + shutdownReason + ")";
    }
}
