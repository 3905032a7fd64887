package io.domainoperator.api.v1alpha1;

/** Condition types and reasons used in status.conditions. Reasons are CamelCase, as Kubernetes conventions ask. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    // Types
    public static final String READY = "Ready";
    public static final String BOOTED = "Booted";
    public static final String ADAPTERS_ASSIGNED = "AdaptersAssigned";
    public static final String CONFIG_APPLIED = "ConfigApplied";
    /** The node agent's spec.readinessProbe verdict on the guest; present only for a domain with a probe. */
    public static final String GUEST_READY = "GuestReady";
    public static final String NODE_LOST = "NodeLost";
    public static final String PLACED = "Placed";
    /** Owned by the cluster controller: the fleet-wide spec check (field rules, duplicate uuid or name). */
    public static final String SPEC_VALID = "SpecValid";

    // Reasons
    public static final String RUNNING = "Running";
    public static final String BOOTING = "Booting";
    public static final String BOOT_FAILED = "BootFailed";
    public static final String BOOT_RETRY_SCHEDULED = "BootRetryScheduled";
    public static final String HALF_CREATED_REBUILT = "HalfCreatedRebuilt";
    public static final String WAITING_FOR_DEPENDENCY = "WaitingForDependency";
    public static final String DEPENDENCY_CYCLE = "DependencyCycle";
    public static final String ADAPTER_REFUSED = "AdapterRefused";
    /** A disk, kernel or ramdisk source outside the agent's allowed image roots, or not a regular file. */
    public static final String IMAGE_PATH_REFUSED = "ImagePathRefused";
    public static final String ADAPTER_BUSY = "AdapterBusy";
    public static final String ADAPTER_MISSING = "AdapterMissing";
    public static final String ASSIGNED = "Assigned";
    public static final String NO_ADAPTERS = "NoAdapters";
    public static final String DEACTIVATED = "Deactivated";
    public static final String GRACEFUL_SHUTDOWN = "GracefulShutdown";
    public static final String SHUTDOWN_FORCED = "ShutdownForced";
    public static final String CRASHED = "Crashed";
    public static final String CRASH_BACKOFF = "CrashBackoff";
    public static final String REBOOTED = "Rebooted";
    public static final String PRESERVED = "Preserved";
    public static final String POWERED_OFF = "PoweredOff";
    public static final String PAUSED = "Paused";
    public static final String APPLIED = "Applied";
    public static final String RESTART_REQUIRED = "RestartRequired";
    public static final String RESTARTING_TO_APPLY = "RestartingToApply";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String NODE_NOT_RESPONDING = "NodeNotResponding";
    public static final String NO_FIT = "NoFit";
    public static final String DELETING = "Deleting";
    /** GuestReady True: the readiness probe passed for the current boot. */
    public static final String PROBE_SUCCEEDED = "ProbeSucceeded";
    /** GuestReady (and Ready) False: the domain runs but its probe has not passed (yet, or any more). */
    public static final String GUEST_NOT_READY = "GuestNotReady";

    private Conditions() {
    }
}
