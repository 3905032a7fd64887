package io.domainoperator.hypervisor;

/** Why a domain shut down (Xen's SHUTDOWN_* codes). */
public enum ShutdownReason {
    NONE,
    POWEROFF,
    REBOOT,
    SUSPEND,
    CRASH,
    WATCHDOG
}
