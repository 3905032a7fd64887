package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Node-wide settings, bound once at start-up and handed to {@link DomainDecider}. Per-domain spec fields
 * ({@code bootRetrySeconds}, {@code shutdownTimeoutSeconds}) override the matching knob.
 *
 * @param bootRetry               wait after a round of failed boots before the next round (EVE's
 *                                {@code timer.boot.retry}, {@value DomainConfigSpec#DEFAULT_BOOT_RETRY_SECONDS} s)
 * @param quickBootRetries        boot attempts in one round, {@link #quickRetryDelay} apart (EVE: 3)
 * @param quickRetryDelay         pause between attempts inside a round, and before retrying a failed halt step
 * @param defaultShutdownTimeout  how long a graceful shutdown may take before the domain is destroyed
 * @param minRebootDelay          a guest that crashes sooner than this after boot is restarted only once this
 *                                much time has passed since the boot (xenopsd's minimum reboot delay, 120 s)
 * @param orphanGrace             how long a domain of ours without a DomainConfig is left alone before it is
 *                                halted (covers an informer that has not synced yet)
 * @param dependentHaltDeadline   on deletion, how long a domain waits for the domains that name it in
 *                                {@code startAfter} to halt before it halts anyway
 * @param pollInterval            when to look again while waiting on something outside the engine's clock
 *                                (a dependency, an adapter, a dying domain) and in steady state
 */
public record Knobs(Duration bootRetry, int quickBootRetries, Duration quickRetryDelay,
                    Duration defaultShutdownTimeout, Duration minRebootDelay, Duration orphanGrace,
                    Duration dependentHaltDeadline, Duration pollInterval) {

    public Knobs {
        requirePositive(bootRetry, "bootRetry");
        requirePositive(quickRetryDelay, "quickRetryDelay");
        requirePositive(defaultShutdownTimeout, "defaultShutdownTimeout");
        requireNotNegative(minRebootDelay, "minRebootDelay");
        requireNotNegative(orphanGrace, "orphanGrace");
        requireNotNegative(dependentHaltDeadline, "dependentHaltDeadline");
        requirePositive(pollInterval, "pollInterval");
        if (quickBootRetries < 1) {
            throw new IllegalArgumentException("quickBootRetries is " + quickBootRetries
                + "; a round needs at least one boot attempt (EVE uses 3)");
        }
    }

    /** EVE's and xenopsd's values; the timers' defaults are the API's ({@link DomainConfigSpec}), stated once. */
    public static Knobs defaults() {
        return new Knobs(Duration.ofSeconds(DomainConfigSpec.DEFAULT_BOOT_RETRY_SECONDS), 3, Duration.ofSeconds(5),
            Duration.ofSeconds(DomainConfigSpec.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS),
            Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(30));
    }

    public Knobs withBootRetry(Duration value) {
        return new Knobs(value, quickBootRetries, quickRetryDelay, defaultShutdownTimeout, minRebootDelay,
            orphanGrace, dependentHaltDeadline, pollInterval);
    }

    public Knobs withDefaultShutdownTimeout(Duration value) {
        return new Knobs(bootRetry, quickBootRetries, quickRetryDelay, value, minRebootDelay, orphanGrace,
            dependentHaltDeadline, pollInterval);
    }

    public Knobs withOrphanGrace(Duration value) {
        return new Knobs(bootRetry, quickBootRetries, quickRetryDelay, defaultShutdownTimeout, minRebootDelay,
            value, dependentHaltDeadline, pollInterval);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " is " + d + "; it must be positive");
        }
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " is " + d + "; it must not be negative");
        }
    }
}
